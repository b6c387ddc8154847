import assert from 'node:assert/strict';
import { join } from 'node:path';
import { causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { readCheckpointConfig } from '../io/checkpoint-weights.js';
import { readSafetensors } from '../io/safetensors-read.js';
import { tensorsFromCheckpoint } from '../layers/tensors-from-checkpoint.js';
import { inverseFrequencies } from '../ops/rope-tables.js';
import { useTestBackend } from '../testing/test-backend.js';
import { parseDecoderConfig } from './decoder-config.js';
import { DecoderModel } from './decoder-model.js';
import { buildDecoderParams } from './decoder-weights.js';

type Code = Error & { code?: string; hint?: string };

describe('decoder config and weight names', () => {
  before(async () => {
    await useTestBackend();
  });

  function fixtureWeights(dir: string) {
    return tensorsFromCheckpoint(readSafetensors(join(dir, 'model.safetensors')));
  }

  it('refuses a renamed tensor, listing the missing, unexpected and expected names', function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const cfg = parseDecoderConfig(readCheckpointConfig(dir), 'config.json');
    const weights = fixtureWeights(dir);
    const t = weights.get('model.layers.2.mlp.up_proj.weight')!;
    weights.delete('model.layers.2.mlp.up_proj.weight');
    weights.set('model.layers.2.mlp.upproj.weight', t);
    assert.throws(
      () => buildDecoderParams(cfg, weights, dir),
      (e: Code) =>
        e.code === 'CHECKPOINT_TENSOR_NAMES' &&
        e.message.includes(dir) &&
        e.message.includes('missing: model.layers.2.mlp.up_proj.weight') &&
        e.message.includes('unexpected: model.layers.2.mlp.upproj.weight') &&
        /model\.layers\.\{0\.\.3\}\.mlp\.up_proj\.weight/.test(e.hint ?? ''),
    );
    tf.dispose([...weights.values()]);
  });

  it('refuses weights of another size than config.json says', function () {
    const dir = fixturePath(this, 'hf-tiny', 'mistral-tiny');
    const raw = { ...readCheckpointConfig(dir), intermediate_size: 128 };
    const weights = fixtureWeights(dir);
    assert.throws(
      () => buildDecoderParams(parseDecoderConfig(raw, 'config.json'), weights, dir),
      (e: Code) => e.code === 'CHECKPOINT_TENSOR_SHAPE' && /layers\.0\.mlp\.gate_proj\.weight/.test(e.message),
    );
    tf.dispose([...weights.values()]);
  });

  it('accepts weight names without the model. prefix and with it', function () {
    for (const name of ['llama-tiny', 'mistral-tiny']) {
      const dir = fixturePath(this, 'hf-tiny', name);
      const weights = fixtureWeights(dir);
      const renamed = new Map(
        [...weights].map(([k, v]) => [
          k.startsWith('model.') ? k.slice(6) : k === 'lm_head.weight' ? k : `model.${k}`,
          v,
        ]),
      );
      const model = new DecoderModel(
        parseDecoderConfig(readCheckpointConfig(dir), 'config.json'),
        buildDecoderParams(parseDecoderConfig(readCheckpointConfig(dir), 'config.json'), renamed, dir),
        dir,
      );
      assert.equal(model.params.layers.length, 4);
      model.dispose();
    }
  });

  it('refuses unsupported configs with the key and the supported values', () => {
    const base = {
      model_type: 'llama',
      hidden_size: 8,
      num_attention_heads: 2,
      num_hidden_layers: 1,
      vocab_size: 4,
      intermediate_size: 8,
    };
    assert.throws(
      () => parseDecoderConfig({ ...base, model_type: 'gpt2' }, 'c.json'),
      (e: Code) => e.code === 'MODEL_CONFIG_UNSUPPORTED' && /model_type/.test(e.message),
    );
    assert.throws(
      () => parseDecoderConfig({ ...base, rope_scaling: { type: 'yarn', factor: 2 } }, 'c.json'),
      (e: Code) => /rope_scaling/.test(e.message) && /llama3/.test(e.hint ?? ''),
    );
    assert.throws(() => parseDecoderConfig({ ...base, num_key_value_heads: 3 }, 'c.json'), /num_key_value_heads/);
    assert.throws(
      () => parseDecoderConfig({ ...base, hidden_size: undefined }, 'c.json'),
      (e: Code) => e.code === 'MODEL_CONFIG_MISSING',
    );
  });

  it('RoPE scaling: linear divides every frequency; llama3 keeps high and divides low frequencies', () => {
    const plain = inverseFrequencies({ headDim: 64, theta: 500000 });
    const linear = inverseFrequencies({ headDim: 64, theta: 500000, scaling: { type: 'linear', factor: 4 } });
    for (const [i, f] of plain.entries()) assert.ok(Math.abs(linear[i] - f / 4) <= 1e-6 * f);
    const scaling = {
      type: 'llama3' as const,
      factor: 8,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    };
    const l3 = inverseFrequencies({ headDim: 64, theta: 500000, scaling });
    plain.forEach((f, i) => {
      const wavelen = (2 * Math.PI) / f;
      if (wavelen < 8192 / 4) assert.equal(l3[i], f, `high frequency ${i} unchanged`);
      else if (wavelen > 8192) assert.ok(Math.abs(l3[i] - f / 8) <= 1e-6 * f, `low frequency ${i} divided`);
      else assert.ok(l3[i] < f && l3[i] > f / 8, `medium frequency ${i} interpolated`);
    });
  });

  it('Qwen2: q/k/v biases are required and used; o_proj has none', () => {
    const raw = {
      model_type: 'qwen2',
      hidden_size: 8,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      num_hidden_layers: 1,
      vocab_size: 6,
      intermediate_size: 12,
      rms_norm_eps: 1e-6,
    };
    const cfg = parseDecoderConfig(raw, 'config.json');
    const shapes: [string, number[]][] = [
      ['model.embed_tokens.weight', [6, 8]],
      ['model.norm.weight', [8]],
      ['model.layers.0.input_layernorm.weight', [8]],
      ['model.layers.0.post_attention_layernorm.weight', [8]],
      ['model.layers.0.self_attn.q_proj.weight', [8, 8]],
      ['model.layers.0.self_attn.q_proj.bias', [8]],
      ['model.layers.0.self_attn.k_proj.weight', [4, 8]],
      ['model.layers.0.self_attn.k_proj.bias', [4]],
      ['model.layers.0.self_attn.v_proj.weight', [4, 8]],
      ['model.layers.0.self_attn.v_proj.bias', [4]],
      ['model.layers.0.self_attn.o_proj.weight', [8, 8]],
      ['model.layers.0.mlp.gate_proj.weight', [12, 8]],
      ['model.layers.0.mlp.up_proj.weight', [12, 8]],
      ['model.layers.0.mlp.down_proj.weight', [8, 12]],
    ];
    const make = (skip?: string, vBias = 0) =>
      new Map(
        shapes
          .filter(([n]) => n !== skip)
          .map(([n, s], i) => [
            n,
            n.endsWith('v_proj.bias') ? tf.fill(s, vBias) : tf.randomNormal(s, 0, 0.5, 'float32', i),
          ]),
      );
    const partial = make('model.layers.0.self_attn.k_proj.bias');
    assert.throws(() => buildDecoderParams(cfg, partial, 'qwen'), /missing: model\.layers\.0\.self_attn\.k_proj\.bias/);
    tf.dispose([...partial.values()]);
    const run = (vBias: number) => {
      const model = new DecoderModel(cfg, buildDecoderParams(cfg, make(undefined, vBias), 'qwen'), 'qwen');
      const ids = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
      const out = model.forward(ids, tf.onesLike(ids) as tf.Tensor2D, [causal]);
      const values = out.lastHiddenState.dataSync().slice();
      tf.dispose([ids, out.lastHiddenState]);
      model.dispose();
      return values;
    };
    const a = run(0);
    const b = run(1);
    assert.ok(
      a.some((v, i) => Math.abs(v - b[i]) > 1e-3),
      'the v_proj bias changes the output',
    );
  });
});
