import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { loadCheckpoint } from '../io/checkpoint-load.js';
import { assertModelFits, WASM_HEAP_LIMIT_BYTES } from './memory-check.js';
import { estimateParameterCount } from './model-size.js';

/** The published Llama-2-7B config.json sizes (meta-llama/Llama-2-7b-hf), whose model card states 6.74B parameters. */
const llama2_7b = {
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 11008,
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 32,
  vocab_size: 32000,
  tie_word_embeddings: false,
};

/**
 * Writes a real safetensors file with the Llama-2-7B tensor layout as a sparse file: the header is written, the
 * 27 GB data region is only reserved (ftruncate), so the check must work from the header alone.
 */
function writeSparse7b(dir: string): void {
  const { hidden_size: h, intermediate_size: m, vocab_size: v, num_hidden_layers: layers } = llama2_7b;
  const shapes: Record<string, number[]> = {
    'model.embed_tokens.weight': [v, h],
    'lm_head.weight': [v, h],
    'model.norm.weight': [h],
  };
  for (let i = 0; i < layers; i++) {
    for (const p of ['q', 'k', 'v', 'o']) shapes[`model.layers.${i}.self_attn.${p}_proj.weight`] = [h, h];
    shapes[`model.layers.${i}.mlp.gate_proj.weight`] = [m, h];
    shapes[`model.layers.${i}.mlp.up_proj.weight`] = [m, h];
    shapes[`model.layers.${i}.mlp.down_proj.weight`] = [h, m];
    shapes[`model.layers.${i}.input_layernorm.weight`] = [h];
    shapes[`model.layers.${i}.post_attention_layernorm.weight`] = [h];
  }
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 2;
    header[name] = { dtype: 'BF16', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(join(dir, 'model.safetensors'), 'w');
  writeSync(fd, prefix);
  writeSync(fd, json);
  ftruncateSync(fd, 8 + json.length + offset);
  closeSync(fd);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(llama2_7b));
}

describe('memory check before loading', () => {
  it('estimates the Llama-2-7B parameter count from config.json (6.74B on its model card)', () => {
    assert.equal(estimateParameterCount(llama2_7b), 6_738_415_616);
  });

  it('refuses a 7B model on wasm with the numbers and the alternative backends', () => {
    assert.throws(
      () => assertModelFits('meta-llama/Llama-2-7b-hf', llama2_7b, 'wasm'),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'MODEL_TOO_BIG_FOR_BACKEND' &&
        /6\.74B parameters: 25\.10 GiB as float32/.test(e.message) &&
        e.message.includes(`${(WASM_HEAP_LIMIT_BYTES / 2 ** 30).toFixed(2)} GiB`) &&
        /tensorflow.*tensorflow-gpu.*cpu/.test(e.hint ?? ''),
    );
  });

  it('lets the same model through on backends without the wasm heap limit when the machine has the RAM', () => {
    const estimate = assertModelFits('7b', llama2_7b, 'tensorflow', { systemMemoryBytes: 64 * 2 ** 30 });
    assert.equal(estimate.parameters, 6_738_415_616);
  });

  it('refuses the model on any backend when it exceeds the machine RAM', () => {
    assert.throws(
      () => assertModelFits('7b', llama2_7b, 'cpu', { systemMemoryBytes: 16 * 2 ** 30 }),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'MODEL_TOO_BIG_FOR_MEMORY' &&
        /16\.00 GiB of RAM \(backend cpu\)/.test(e.message),
    );
  });

  it('refuses a config.json that lacks the sizes, naming the key', () => {
    assert.throws(
      () => assertModelFits('/m', { model_type: 'llama', hidden_size: 8 }, 'wasm'),
      (e: unknown) => e instanceof LookrightError && /\/m\/config\.json.*num_hidden_layers/.test(e.message),
    );
  });

  it('refuses a 7B checkpoint on wasm from its safetensors header alone, before reading any data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-7b-'));
    try {
      writeSparse7b(dir);
      assert.ok(statSync(join(dir, 'model.safetensors')).size > 13e9);
      await assert.rejects(
        loadCheckpoint(dir, { backend: 'wasm' }),
        (e: unknown) =>
          e instanceof LookrightError && e.code === 'MODEL_TOO_BIG_FOR_BACKEND' && e.message.includes(dir),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
