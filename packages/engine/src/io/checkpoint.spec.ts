import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { loadCheckpoint } from './checkpoint-load.js';
import { assertTensorNames, summarizeNames } from './checkpoint-names.js';
import { readCheckpointWeights } from './checkpoint-weights.js';
import { type LoadedTensor, readSafetensors } from './safetensors-read.js';
import { writeSafetensors } from './safetensors-write.js';

const isError =
  (code: string, ...parts: string[]) =>
  (e: unknown) =>
    e instanceof LookrightError && e.code === code && parts.every((p) => `${e.message}\n${e.hint}`.includes(p));

/** Writes the tensors as two shards plus model.safetensors.index.json, the way transformers shards a checkpoint. */
function writeSharded(dir: string, tensors: Map<string, LoadedTensor>): Record<string, string> {
  const names = [...tensors.keys()];
  const half = Math.ceil(names.length / 2);
  const weightMap: Record<string, string> = {};
  const shards = [names.slice(0, half), names.slice(half)];
  shards.forEach((part, i) => {
    const shard = `model-0000${i + 1}-of-00002.safetensors`;
    writeSafetensors(join(dir, shard), new Map(part.map((n) => [n, tensors.get(n) as LoadedTensor])));
    for (const n of part) weightMap[n] = shard;
  });
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return weightMap;
}

describe('checkpoint folders', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lookright-ckpt-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('loads a local hf-tiny folder with its config.json and every tensor', async function () {
    const folder = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const checkpoint = await loadCheckpoint(folder, { backend: 'wasm' });
    assert.equal(checkpoint.source.kind, 'local');
    assert.equal(checkpoint.config.model_type, 'llama');
    const direct = readSafetensors(join(folder, 'model.safetensors'));
    assert.deepEqual([...checkpoint.tensors.keys()], [...direct.keys()]);
    const total = [...direct.values()].reduce((n, t) => n + t.data.length, 0);
    assert.equal(checkpoint.memory.parameters, total);
  });

  it('loads a sharded copy through model.safetensors.index.json with the same tensors', function () {
    const folder = fixturePath(this, 'hf-tiny', 'mistral-tiny');
    const single = readSafetensors(join(folder, 'model.safetensors'));
    copyFileSync(join(folder, 'config.json'), join(tmp, 'config.json'));
    writeSharded(tmp, single);
    const sharded = readCheckpointWeights(tmp);
    assert.deepEqual([...sharded.keys()].sort(), [...single.keys()].sort());
    for (const [name, tensor] of single) {
      assert.deepEqual(sharded.get(name)?.shape, tensor.shape);
      assert.deepEqual(sharded.get(name)?.data, tensor.data);
    }
  });

  it('refuses an index naming a missing shard or the wrong shard', function () {
    const tensors = readSafetensors(fixturePath(this, 'hf-tiny', 'llama-tiny', 'model.safetensors'));
    const weightMap = writeSharded(tmp, tensors);
    const [first] = Object.keys(weightMap);
    const wrong = { ...weightMap, [first]: 'model-00002-of-00002.safetensors' };
    writeFileSync(join(tmp, 'model.safetensors.index.json'), JSON.stringify({ weight_map: wrong }));
    assert.throws(() => readCheckpointWeights(tmp), isError('CHECKPOINT_INDEX_INVALID', first, 'index.json'));
    writeFileSync(
      join(tmp, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { ...weightMap, extra: 'gone.safetensors' } }),
    );
    assert.throws(() => readCheckpointWeights(tmp), isError('CHECKPOINT_INDEX_INVALID', 'gone.safetensors'));
  });

  it('refuses a folder without safetensors weights, listing what it found', async () => {
    writeFileSync(join(tmp, 'config.json'), '{"model_type":"llama"}');
    writeFileSync(join(tmp, 'pytorch_model.bin'), 'x');
    await assert.rejects(
      loadCheckpoint(tmp),
      isError('CHECKPOINT_NO_WEIGHTS', tmp, 'pytorch_model.bin', 'safe_serialization'),
    );
  });

  it('refuses a config.json that is not a JSON object', async () => {
    writeFileSync(join(tmp, 'config.json'), '[1, 2');
    await assert.rejects(loadCheckpoint(tmp), isError('CHECKPOINT_CONFIG_INVALID', join(tmp, 'config.json')));
  });

  it('refuses a spec that is neither a folder nor a repo id', async () => {
    await assert.rejects(loadCheckpoint('./no/such/folder'), isError('MODEL_SOURCE_NOT_FOUND', './no/such/folder'));
  });
});

describe('tensor names versus config.json', () => {
  const expected = {
    required: ['model.embed_tokens.weight', ...[0, 1, 2].map((i) => `model.layers.${i}.mlp.up_proj.weight`)],
    optional: ['lm_head.weight'],
  };

  it('accepts the required names with or without the optional ones', () => {
    assert.doesNotThrow(() => assertTensorNames('ckpt', expected.required, expected));
    assert.doesNotThrow(() => assertTensorNames('ckpt', [...expected.required, 'lm_head.weight'], expected));
  });

  it('names missing and unexpected tensors and lists the expected names compactly', () => {
    const present = ['embed_tokens.weight', 'model.layers.0.mlp.up_proj.weight', 'model.layers.1.mlp.up_proj.weight'];
    assert.throws(
      () => assertTensorNames('/ckpt', present, expected),
      isError(
        'CHECKPOINT_TENSOR_NAMES',
        '/ckpt',
        'missing: model.embed_tokens.weight, model.layers.2.mlp.up_proj.weight',
        'unexpected: embed_tokens.weight',
        'model.layers.{0..2}.mlp.up_proj.weight',
        'lm_head.weight',
      ),
    );
  });

  it('collapses non-contiguous layer indices into a list', () => {
    assert.equal(summarizeNames(['a.0.w', 'a.2.w', 'b']), 'a.{0,2}.w, b');
  });
});
