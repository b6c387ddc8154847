import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import { decodeSafetensors, readSafetensors } from './safetensors-read.js';
import { encodeSafetensors, writeSafetensors } from './safetensors-write.js';

/** Builds a safetensors file by hand (not through the writer) from a header object and a data region. */
function rawFile(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function expectInvalid(bytes: Uint8Array, pattern: RegExp, code = 'SAFETENSORS_INVALID'): void {
  assert.throws(
    () => decodeSafetensors(bytes, 'broken.safetensors'),
    (error: unknown) =>
      error instanceof LookrightError &&
      error.code === code &&
      error.message.includes('broken.safetensors') &&
      pattern.test(error.message),
  );
}

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

describe('safetensors writer and reader', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-st-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips F32, I32 and U8 tensors, including scalars and empty tensors, through a file', () => {
    const file = join(dir, 'round.safetensors');
    const tensors = {
      'b.weight': { shape: [2, 3], data: new Float32Array([1.5, -2, 3e-8, Number.NaN, -0, 7]) },
      'a.ids': { shape: [4], data: new Int32Array([-2147483648, -1, 0, 2147483647]) },
      'c.mask': { shape: [3, 1], data: new Uint8Array([0, 1, 255]) },
      scalar: { shape: [], data: new Float32Array([42]) },
      empty: { shape: [0, 5], data: new Float32Array(0) },
    };
    writeSafetensors(file, tensors);
    const bytes = readFileSync(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    assert.equal((8 + headerLength) % 8, 0);
    const loaded = readSafetensors(file);
    assert.deepEqual(loaded.metadata, { format: 'pt' });
    assert.deepEqual([...loaded.keys()], ['a.ids', 'b.weight', 'c.mask', 'empty', 'scalar']);
    for (const [name, tensor] of Object.entries(tensors)) {
      const got = loaded.get(name);
      assert.ok(got, name);
      assert.deepEqual(got.shape, tensor.shape);
      assert.equal(got.data.constructor, tensor.data.constructor);
      assert.deepEqual(Array.from(got.data), Array.from(tensor.data));
    }
    assert.equal(loaded.get('b.weight')?.storedDtype, 'F32');
    assert.equal(loaded.get('a.ids')?.dtype, 'int32');
  });

  it('refuses to write data whose length disagrees with the shape', () => {
    assert.throws(
      () => encodeSafetensors({ w: { shape: [2, 2], data: new Float32Array(3) } }, 'out.safetensors'),
      (e: unknown) =>
        e instanceof LookrightError && e.code === 'SAFETENSORS_WRITE_INVALID' && /out\.safetensors/.test(e.message),
    );
  });

  it('reads the hf-tiny llama checkpoint with shapes that agree with its config.json', function () {
    const folder = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'));
    const tensors = readSafetensors(join(folder, 'model.safetensors'));
    assert.equal(tensors.metadata?.format, 'pt');
    const headDim = config.hidden_size / config.num_attention_heads;
    assert.deepEqual(tensors.get('model.embed_tokens.weight')?.shape, [config.vocab_size, config.hidden_size]);
    for (let layer = 0; layer < config.num_hidden_layers; layer++) {
      const k = tensors.get(`model.layers.${layer}.self_attn.k_proj.weight`);
      assert.deepEqual(k?.shape, [config.num_key_value_heads * headDim, config.hidden_size]);
      assert.ok(k?.data instanceof Float32Array);
    }
    // Compare values with an independent little-endian decode of the raw bytes at the header's offsets.
    const raw = readFileSync(join(folder, 'model.safetensors'));
    const n = Number(raw.readBigUInt64LE(0));
    const header = JSON.parse(raw.subarray(8, 8 + n).toString('utf8'));
    const entry = header['model.norm.weight'];
    const start = 8 + n + entry.data_offsets[0];
    const expected = Array.from({ length: config.hidden_size }, (_, i) => raw.readFloatLE(start + 4 * i));
    assert.deepEqual(Array.from(tensors.get('model.norm.weight')?.data ?? []), expected);
  });

  it('re-encodes the hf-tiny mistral checkpoint to the same bytes Python safetensors wrote', function () {
    const file = fixturePath(this, 'hf-tiny', 'mistral-tiny', 'model.safetensors');
    const original = readFileSync(file);
    const tensors = readSafetensors(file);
    const again = encodeSafetensors(
      tensors as Map<string, { shape: number[]; data: Float32Array }>,
      file,
      tensors.metadata,
    );
    assert.equal(Buffer.compare(Buffer.from(again), original), 0);
  });

  /** Every real safetensors file in the shared fixtures and data, compared with an independent decode of its bytes. */
  const realFiles: [string, 'fixtures' | 'data', ...string[]][] = [
    ...['bert-tiny', 'roberta-tiny', 'llama-tiny', 'mistral-tiny'].flatMap((m) =>
      ['model', 'outputs'].map((f): [string, 'fixtures', ...string[]] => [
        `${m}/${f}`,
        'fixtures',
        'hf-tiny',
        m,
        `${f}.safetensors`,
      ]),
    ),
    ...['llama-tiny-lora', 'mistral-tiny-lora', 'llama-tiny-tokcls-lora'].flatMap((m) =>
      ['adapter_model', 'outputs'].map((f): [string, 'fixtures', ...string[]] => [
        `${m}/${f}`,
        'fixtures',
        'peft',
        m,
        `${f}.safetensors`,
      ]),
    ),
    ...['stories260K_hf', 'lmbuddy_tiny_gpt2', 'lmbuddy_fake_gpt2', 'lmbuddy_bert_tiniest'].map(
      (m): [string, 'data', ...string[]] => [m, 'data', 'tiny_checkpoints', m, 'model.safetensors'],
    ),
  ];
  for (const [label, root, ...parts] of realFiles)
    it(`reads ${label} exactly as its raw bytes say`, function () {
      const file = root === 'data' ? dataPath(this, ...parts) : fixturePath(this, ...parts);
      const raw = readFileSync(file);
      const n = Number(raw.readBigUInt64LE(0));
      const header = JSON.parse(raw.subarray(8, 8 + n).toString('utf8')) as Record<
        string,
        { dtype: string; shape: number[]; data_offsets: [number, number] }
      >;
      const tensors = readSafetensors(file);
      assert.deepEqual(tensors.metadata, header.__metadata__);
      assert.deepEqual(
        [...tensors.keys()].sort(),
        Object.keys(header)
          .filter((k) => k !== '__metadata__')
          .sort(),
      );
      for (const [name, tensor] of tensors) {
        const entry = header[name];
        assert.deepEqual(tensor.shape, entry.shape);
        const bytes = raw.subarray(8 + n + entry.data_offsets[0], 8 + n + entry.data_offsets[1]);
        const expected =
          entry.dtype === 'F32'
            ? Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(4 * i))
            : entry.dtype === 'I32'
              ? Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readInt32LE(4 * i))
              : Array.from(bytes);
        assert.deepEqual(Array.from(tensor.data), expected, `${label}: ${name} (${entry.dtype})`);
      }
    });

  it('loads I32 and U8 tensors of the hf-tiny outputs file as Int32Array and Uint8Array', function () {
    const tensors = readSafetensors(fixturePath(this, 'hf-tiny', 'llama-tiny', 'outputs.safetensors'));
    const ids = tensors.get('input_ids');
    assert.ok(ids?.data instanceof Int32Array);
    assert.equal(ids.storedDtype, 'I32');
    const allowed = [...tensors.values()].find((t) => t.storedDtype === 'U8');
    assert.ok(allowed?.data instanceof Uint8Array);
  });

  it('converts F16 by the IEEE 754 bit layout (normal, subnormal, max, infinities, NaN)', () => {
    const halves = new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8400, 0x7c00, 0xfc00, 0x7e00, 0x3555]);
    const file = rawFile({ h: { dtype: 'F16', shape: [9], data_offsets: [0, 18] } }, new Uint8Array(halves.buffer));
    const data = decodeSafetensors(file, 'half.safetensors').get('h')?.data;
    assert.deepEqual(Array.from(data ?? []).slice(0, 7), [1, -2, 65504, 2 ** -24, -(2 ** -14), Infinity, -Infinity]);
    assert.ok(Number.isNaN(data?.[7]));
    assert.equal(data?.[8], 1365 / 4096); // 0x3555: exponent 13, mantissa 341 -> 2^-2 * (1 + 341/1024)
  });

  it('converts BF16 to the float32 with the same upper 16 bits', () => {
    const full = new Float32Array([3.140625, -1.5e-20, 65280, 1e38]);
    const bits = new Uint32Array(full.buffer);
    const halves = Uint16Array.from(bits, (b) => b >>> 16);
    const file = rawFile({ b: { dtype: 'BF16', shape: [2, 2], data_offsets: [0, 8] } }, new Uint8Array(halves.buffer));
    const data = decodeSafetensors(file, 'bf.safetensors').get('b')?.data as Float32Array;
    const expected = Float32Array.from(bits, (b) => new Float32Array(new Uint32Array([b & 0xffff0000]).buffer)[0]);
    assert.deepEqual(Array.from(data), Array.from(expected));
  });

  it('converts I64 inside the int32 range and refuses values outside it', () => {
    const ok = new BigInt64Array([-2147483648n, -1n, 0n, 2147483647n]);
    const file = rawFile({ ids: { dtype: 'I64', shape: [4], data_offsets: [0, 32] } }, new Uint8Array(ok.buffer));
    assert.deepEqual(
      Array.from(decodeSafetensors(file, 'i.safetensors').get('ids')?.data ?? []),
      [-2147483648, -1, 0, 2147483647],
    );
    const big = new BigInt64Array([0n, 2147483648n]);
    const bad = rawFile({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(big.buffer));
    expectInvalid(bad, /ids.*flat index 1/, 'SAFETENSORS_I64_RANGE');
  });
});

describe('safetensors validation', () => {
  const good = {
    a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] },
  };
  const data = f32([1, 2, 3]);

  it('accepts a hand-built file with tensors out of name order and no metadata', () => {
    const tensors = decodeSafetensors(rawFile(good, data), 'ok.safetensors');
    assert.deepEqual(Array.from(tensors.get('b')?.data ?? []), [3]);
    assert.equal(tensors.metadata, undefined);
  });

  it('refuses files too short for the header length', () => expectInvalid(new Uint8Array(5), /too short/));

  it('refuses a header length over 100 MB', () => {
    const bytes = rawFile(good, data);
    new DataView(bytes.buffer).setBigUint64(0, 100_000_001n, true);
    expectInvalid(bytes, /exceeds/);
  });

  it('refuses a header length past the end of the file', () => {
    const bytes = rawFile(good, data);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
    expectInvalid(bytes, /past the end/);
  });

  it('refuses a header that is not JSON or not an object', () => {
    const bytes = rawFile(good, data);
    bytes[9] = 0x7d; // '}' right after '{'
    expectInvalid(bytes, /not valid JSON/);
    expectInvalid(rawFile({ x: 1 } as Record<string, unknown>, new Uint8Array(0)), /entry is not an object/);
  });

  it('refuses an unknown dtype, a bad shape and reversed offsets', () => {
    expectInvalid(rawFile({ a: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } }, f32([1])), /unknown dtype/);
    expectInvalid(rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32([1])), /shape/);
    expectInvalid(rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, f32([1])), /end before/);
  });

  it('refuses gaps, overlaps and dtype x shape mismatches, naming the tensor', () => {
    const gap = { a: good.a, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } };
    expectInvalid(rawFile(gap, f32([1, 2, 3, 4])), /tensor b .*gap/);
    const overlap = { a: good.a, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expectInvalid(rawFile(overlap, f32([1, 2])), /tensor b .*overlaps/);
    const mismatch = { a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } };
    expectInvalid(rawFile(mismatch, f32([1, 2])), /tensor a .*needs 12 bytes/);
  });

  it('refuses trailing bytes and truncated data', () => {
    const whole = rawFile(good, data);
    const trailing = new Uint8Array(whole.length + 4);
    trailing.set(whole);
    expectInvalid(trailing, /4 trailing bytes/);
    expectInvalid(whole.subarray(0, whole.length - 1), /truncated/);
  });

  it('names the file when it cannot be opened', () => {
    assert.throws(
      () => readSafetensors('/nonexistent/model.safetensors'),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'SAFETENSORS_UNREADABLE' &&
        e.message.includes('/nonexistent/model.safetensors'),
    );
  });

  it('reads a corrupted file on disk with a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-st-'));
    try {
      const file = join(dir, 'cut.safetensors');
      const whole = rawFile(good, data);
      writeFileSync(file, whole.subarray(0, whole.length - 3));
      assert.throws(
        () => readSafetensors(file),
        (e: unknown) => e instanceof LookrightError && e.message.includes(file),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
