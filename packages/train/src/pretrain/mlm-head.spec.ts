import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRng } from '@lookright/core';
import { loadEncoder, maskedCrossEntropy, readSafetensors, replaceTrainingOps } from '@lookright/engine';
import { nativeTrainingOps } from '@lookright/native';
import { requireAddon, useNativeBackend, useStockBackend } from '@lookright/native/testing';
import * as tf from '@tensorflow/tfjs-core';
import { architectureSizes } from './architecture.js';
import { bertConfigJson, bertTensorShapes, matchingIntermediateSize } from './bert-architecture.js';
import { initialWeights, writeCheckpointFolder } from './decoder-checkpoint.js';
import { MlmHead } from './mlm-head.js';
import { maskTokens } from './mlm-masking.js';

const setups: { name: string; native: boolean }[] = [
  { name: 'wasm, tfjs kernels', native: false },
  { name: 'wasm, native kernels and training ops', native: true },
];

for (const setup of setups)
  describe(`MlmHead.maskedLoss: the head on the masked rows only (${setup.name})`, () => {
    const size = { ...architectureSizes.micro, vocabSize: 96 };
    let dir: string;
    let model: Awaited<ReturnType<typeof loadEncoder>>['model'];
    let head: MlmHead;

    let restoreOps = () => {};

    before(async function () {
      if (setup.native) {
        requireAddon(this);
        await useNativeBackend('wasm');
        restoreOps = replaceTrainingOps(nativeTrainingOps());
      } else await useStockBackend('wasm');
      dir = mkdtempSync(join(tmpdir(), 'mlm-head-'));
      const intermediate = matchingIntermediateSize(size);
      writeCheckpointFolder(
        dir,
        bertConfigJson(size, intermediate, 1),
        initialWeights(bertTensorShapes(size, intermediate), new SeededRng(5)),
        {},
      );
      ({ model } = await loadEncoder(dir));
      model.setTrainable(() => true);
      const stored = new Map(
        [...readSafetensors(join(dir, 'model.safetensors'))].map(([name, t]) => [
          name,
          { shape: t.shape, data: Float32Array.from(t.data as ArrayLike<number>) },
        ]),
      );
      head = new MlmHead(stored, 1e-12);
    });

    after(async () => {
      head?.dispose();
      model?.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
      restoreOps();
      await useStockBackend('wasm');
    });

    const variables = () => [...model.setTrainable(() => true).values(), ...head.variables()];

    /** Loss and gradients of the loss over the encoder's output for one masked batch. */
    function lossAndGrads(windows: number[][], labels: number[][], maskedOnly: boolean) {
      return tf.variableGrads(
        () =>
          tf.tidy(() => {
            const ids = tf.tensor2d(windows, undefined, 'int32');
            const hidden = model.forward(ids, tf.onesLike(ids) as tf.Tensor2D).lastHiddenState;
            return maskedOnly
              ? head.maskedLoss(hidden, labels, model)
              : maskedCrossEntropy(head.logits(hidden, model), tf.tensor2d(labels, undefined, 'int32'));
          }),
        variables(),
      );
    }

    for (const [batch, seqLen] of [
      [2, 8],
      [3, 17],
      [4, 32],
    ]) {
      it(`equals the loss over all positions' logits (same bits) and its gradients, batch ${batch} x ${seqLen}`, () => {
        const rng = new SeededRng(batch * 100 + seqLen);
        const windows = Array.from({ length: batch }, () => Array.from({ length: seqLen }, () => rng.nextInt(90)));
        const masked = maskTokens(windows, rng, { maskId: 92, regularVocab: 90 });
        const full = lossAndGrads(masked.inputs, masked.labels, false);
        const rows = lossAndGrads(masked.inputs, masked.labels, true);
        assert.equal(rows.value.dataSync()[0], full.value.dataSync()[0]);
        for (const [name, g] of Object.entries(full.grads)) {
          const ref = g.dataSync() as Float32Array;
          const got = rows.grads[name].dataSync() as Float32Array;
          const scale = Math.max(...ref.map(Math.abs), 1e-30);
          const diff = Math.max(...got.map((v, i) => Math.abs(v - ref[i])));
          assert.ok(diff <= 1e-5 * scale, `${name}: max|diff| ${diff} vs max|ref| ${scale}`);
        }
        tf.dispose([full.value, rows.value, ...Object.values(full.grads), ...Object.values(rows.grads)]);
      });
    }

    it('with no masked position, gives the all-positions loss (zero) instead of an empty head', () => {
      const windows = [[3, 4, 5, 6]];
      const labels = [[-100, -100, -100, -100]];
      const full = lossAndGrads(windows, labels, false);
      const rows = lossAndGrads(windows, labels, true);
      assert.equal(rows.value.dataSync()[0], full.value.dataSync()[0]);
      tf.dispose([full.value, rows.value, ...Object.values(full.grads), ...Object.values(rows.grads)]);
    });

    it('propagates NaN in the hidden states of a masked row into the loss', () => {
      const hidden = tf.fill([1, 3, size.hiddenSize], Number.NaN) as tf.Tensor3D;
      const loss = head.maskedLoss(hidden, [[-100, 7, -100]], model);
      assert.ok(Number.isNaN(loss.dataSync()[0]));
      tf.dispose([hidden, loss]);
    });
  });
