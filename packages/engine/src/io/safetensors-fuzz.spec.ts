import { LookrightError } from '@lookright/core';
import fc from 'fast-check';
import { decodeSafetensors } from './safetensors-read.js';
import { encodeSafetensors, type TensorToWrite } from './safetensors-write.js';

/** Random small tensor sets, encoded by the writer, as the valid starting point of every corruption. */
const tensorSets = fc
  .array(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 12 }),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      kind: fc.constantFrom('f32', 'i32', 'u8'),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map((specs) => {
    const tensors = new Map<string, TensorToWrite>();
    for (const { name, shape, kind } of specs) {
      if (name === '__metadata__') continue;
      const n = shape.reduce((a, b) => a * b, 1);
      const data =
        kind === 'f32'
          ? new Float32Array(n).fill(0.5)
          : kind === 'i32'
            ? new Int32Array(n).fill(-3)
            : new Uint8Array(n).fill(7);
      tensors.set(name, { shape, data });
    }
    return encodeSafetensors(tensors);
  });

/** Decoding may succeed or fail, but a failure must be a LookrightError naming the file. */
function decodesOrFailsTyped(bytes: Uint8Array): boolean {
  try {
    decodeSafetensors(bytes, 'fuzz.safetensors');
    return true;
  } catch (error) {
    if (error instanceof LookrightError && error.message.includes('fuzz.safetensors')) return false;
    throw error;
  }
}

describe('safetensors reader under random corruption (fast-check)', () => {
  it('round-trips every random tensor set', () => {
    fc.assert(
      fc.property(tensorSets, (bytes) => decodesOrFailsTyped(bytes)),
      { numRuns: 200 },
    );
  });

  it('gives only LookrightError for random byte overwrites', () => {
    const corrupted = tensorSets.chain((bytes) =>
      fc
        .array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((edits) => {
          const copy = bytes.slice();
          for (const [at, value] of edits) copy[at] = value;
          return copy;
        }),
    );
    fc.assert(
      fc.property(corrupted, (bytes) => void decodesOrFailsTyped(bytes)),
      { numRuns: 1000 },
    );
  });

  it('refuses every truncation with a LookrightError', () => {
    const cut = tensorSets.chain((bytes) => fc.nat({ max: bytes.length - 1 }).map((n) => bytes.subarray(0, n)));
    fc.assert(
      fc.property(cut, (bytes) => decodesOrFailsTyped(bytes) === false),
      { numRuns: 500 },
    );
  });

  it('refuses every appended tail with a LookrightError', () => {
    const extended = fc.tuple(tensorSets, fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([bytes, tail]) => {
      const out = new Uint8Array(bytes.length + tail.length);
      out.set(bytes);
      out.set(tail, bytes.length);
      return out;
    });
    fc.assert(
      fc.property(extended, (bytes) => decodesOrFailsTyped(bytes) === false),
      { numRuns: 300 },
    );
  });

  it('gives only LookrightError for random header text and random header lengths', () => {
    const randomHeader = fc
      .tuple(fc.json(), fc.uint8Array({ maxLength: 32 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))
      .map(([json, data, length]) => {
        const text = new TextEncoder().encode(json);
        const out = new Uint8Array(8 + text.length + data.length);
        new DataView(out.buffer).setBigUint64(0, length % 3n === 0n ? length : BigInt(text.length), true);
        out.set(text, 8);
        out.set(data, 8 + text.length);
        return out;
      });
    fc.assert(
      fc.property(randomHeader, (bytes) => void decodesOrFailsTyped(bytes)),
      { numRuns: 1000 },
    );
  });
});
