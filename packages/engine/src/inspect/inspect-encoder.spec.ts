import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '@lookright/test-support/fixtures';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { loadEncoder } from '../encoder/load-encoder.js';
import { readSafetensors } from '../io/safetensors-read.js';
import { attachLora } from '../lora/attach-lora.js';
import { loraSettings } from '../lora/lora-settings.js';
import { savePeftAdapter } from '../lora/peft-save.js';
import { useTestBackend } from '../testing/test-backend.js';
import { inspectEncoderHiddenStates } from './inspect-encoder-hidden-states.js';

describe('inspectEncoderHiddenStates with a PEFT adapter', function () {
  this.timeout(120_000);
  let tmp: string;
  before(async () => {
    await useTestBackend();
    tmp = mkdtempSync(join(tmpdir(), 'lookright-inspect-encoder-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('applies a query/value adapter saved for RobertaForTokenClassification', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'roberta-tiny');
    const inputs = join(dir, 'outputs.safetensors');
    const adapter = join(tmp, 'adapter');
    const { model } = await loadEncoder(dir);
    attachLora(model, loraSettings({ r: 4, alpha: 8, targetModules: ['query', 'value'] }), 5);
    let seed = 8;
    for (const layer of model.params.layers) {
      for (const p of [layer.proj.query, layer.proj.value]) {
        const lora = p.lora!;
        const b = tf.randomNormal(lora.b.shape, 0, 0.5, 'float32', seed++) as tf.Tensor2D;
        lora.b.dispose();
        lora.b = b;
      }
    }
    const head = { weight: tf.zeros([3, 64]) as tf.Tensor2D, bias: tf.zeros([3]) as tf.Tensor1D };
    await savePeftAdapter(model, adapter, { wrappedClass: 'token-classification', baseModelNameOrPath: dir, head });
    const ref = readSafetensors(inputs);
    const int2d = (k: string) =>
      tf.tensor2d(Int32Array.from(ref.get(k)!.data), ref.get(k)!.shape as [number, number], 'int32');
    const [ids, mask] = [int2d('input_ids'), int2d('attention_mask')];
    const adapted = model.forward(ids, mask).lastHiddenState;
    const expected = adapted.dataSync() as Float32Array;
    tf.dispose([ids, mask, adapted, head.weight, head.bias]);
    model.dispose();

    const out = join(tmp, 'adapted.safetensors');
    const result = await inspectEncoderHiddenStates({ model: dir, inputs, out, adapter, backend: 'wasm' });
    assert.deepEqual(
      result.specs.map((s) => s.kind),
      ['bidirectional', 'bidirectional'],
    );
    const ours = readSafetensors(out).get('last_hidden_state')!.data as Float32Array;
    assert.ok(relativeError(ours, expected) <= 1e-5, 'the adapter is applied as on the in-memory model');
    const base = ref.get('last_hidden_state')!.data as Float32Array;
    assert.ok(relativeError(ours, base) > 1e-2, 'and it changes the output');
  });
});
