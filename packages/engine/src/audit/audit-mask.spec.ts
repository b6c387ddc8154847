import assert from 'node:assert/strict';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { type DecoderForwardOptions, DecoderModel } from '../decoder/decoder-model.js';
import { loadDecoder } from '../decoder/load-decoder.js';
import { MaskBuilder } from '../masks/attention-bias.js';
import { useTestBackend } from '../testing/test-backend.js';
import { auditMask, maskAuditJson } from './audit-mask.js';
import { assertMaskAuditOk, formatMaskAudit } from './format-audit.js';

const specsOf = (pattern: string): LayerMaskSpec[] => [...pattern].map((c) => (c === '1' ? bidirectional : causal));

/** A builder that silently ignores the specs and builds causal masks: the fall-back users of peers report. */
class CausalOnlyBuilder extends MaskBuilder {
  override biases(specs: readonly LayerMaskSpec[], attentionMask: tf.Tensor2D): tf.Tensor4D[] {
    return super.biases(
      specs.map(() => causal),
      attentionMask,
    );
  }
}

/** A builder that forgets padding: every key is treated as real. */
class PaddingBlindBuilder extends MaskBuilder {
  override biases(specs: readonly LayerMaskSpec[], attentionMask: tf.Tensor2D): tf.Tensor4D[] {
    return tf.tidy(() => super.biases(specs, tf.onesLike(attentionMask)));
  }
}

/** A model whose whole forward pass falls back to causal at batch size 1 (its per-layer path is right). */
class BatchOneFallbackModel extends DecoderModel {
  override forward(
    ids: tf.Tensor2D,
    mask: tf.Tensor2D,
    specs: readonly LayerMaskSpec[],
    options?: DecoderForwardOptions,
  ) {
    return super.forward(ids, mask, ids.shape[0] === 1 ? specs.map(() => causal) : specs, options);
  }
}

describe('mask audit (hf-tiny decoders)', function () {
  this.timeout(300_000);
  before(async () => {
    await useTestBackend();
  });

  for (const name of ['llama-tiny', 'mistral-tiny']) {
    describe(name, () => {
      let model: DecoderModel;
      before(async function () {
        model = (await loadDecoder(fixturePath(this, 'hf-tiny', name))).model;
      });
      after(() => model?.dispose());
      /** A model sharing `model`'s weights with another mask builder or class (not disposed: the weights are shared). */
      const sibling = (builder?: MaskBuilder, Model: typeof DecoderModel = DecoderModel) =>
        new Model(model.config, model.params, `${name} (altered)`, builder);

      for (const pattern of ['0000', '1111', '0101', '1100']) {
        it(`reports ok for ${pattern}, each layer observed as declared`, async () => {
          const report = await auditMask(model, specsOf(pattern));
          assert.equal(report.ok, true, formatMaskAudit(report));
          assert.equal(report.paddingOk, true);
          assert.deepEqual(
            report.layers.map((l) => l.observed),
            [...pattern].map((c) => (c === '1' ? 'bidirectional' : 'causal')),
          );
        });
      }

      it('observes lookahead and two-sided windows', async () => {
        const report = await auditMask(model, [
          { kind: 'window', left: Number.MAX_SAFE_INTEGER, right: 2 },
          causal,
          { kind: 'window', left: 3, right: 1 },
          { kind: 'window', left: 0, right: 0 },
        ]);
        assert.equal(report.ok, true, formatMaskAudit(report));
        assert.deepEqual(
          report.layers.map((l) => l.observed),
          ['window(left=∞,right=2)', 'causal', 'window(left=3,right=1)', 'window(left=0,right=0)'],
        );
      });

      it('catches a mask builder that ignores the specs', async () => {
        const report = await auditMask(
          sibling(new CausalOnlyBuilder({ slidingWindow: model.config.slidingWindow })),
          specsOf('0101'),
        );
        assert.equal(report.ok, false);
        assert.deepEqual(
          report.layers.map((l) => [l.ok, l.observed]),
          [
            [true, 'causal'],
            [false, 'causal'],
            [true, 'causal'],
            [false, 'causal'],
          ],
        );
        assert.throws(() => assertMaskAuditOk(report, name), { code: 'MASK_AUDIT_FAILED', message: /MISMATCH/ });
      });

      it('catches padding that became visible', async () => {
        const report = await auditMask(
          sibling(new PaddingBlindBuilder({ slidingWindow: model.config.slidingWindow })),
          specsOf('1111'),
        );
        assert.equal(report.paddingOk, false);
        assert.equal(report.ok, false);
        assert.match(report.paddingDetail ?? '', /padded tokens moved real position/);
        assert.ok(report.layers.every((l) => !l.ok && l.observed.endsWith('+ padding')));
      });

      it('catches a forward pass that falls back to causal at batch size 1', async () => {
        const altered = sibling(new MaskBuilder({ slidingWindow: model.config.slidingWindow }), BatchOneFallbackModel);
        const report = await auditMask(altered, specsOf('1100'));
        assert.equal(report.ok, false, formatMaskAudit(report));
        assert.match(report.layers.find((l) => !l.ok)?.detail ?? '', /batch size 1/);
      });

      it('leaves no tensors behind and prints the documented JSON', async () => {
        await auditMask(model, specsOf('0101'));
        const before = tf.memory().numTensors;
        const report = await auditMask(model, specsOf('0101'));
        assert.equal(tf.memory().numTensors, before);
        const json = maskAuditJson(report);
        assert.deepEqual(Object.keys(json), ['layers', 'paddingOk', 'ok']);
        assert.deepEqual(Object.keys(json.layers[0]), ['layer', 'declared', 'observed', 'ok']);
      });
    });
  }

  describe('stories260K (trained weights: peaked attention, tiny but real dependencies)', () => {
    let model: DecoderModel;
    before(async function () {
      model = (await loadDecoder(dataPath(this, 'tiny_checkpoints', 'stories260K_hf'))).model;
    });
    after(() => model?.dispose());

    for (const pattern of ['00000', '11111', '10101']) {
      it(`reports ok for ${pattern}`, async () => {
        const report = await auditMask(model, specsOf(pattern));
        assert.equal(report.ok, true, formatMaskAudit(report));
      });
    }

    it('still catches a builder that ignores the specs', async () => {
      const broken = new DecoderModel(
        model.config,
        model.params,
        'stories260K (altered)',
        new CausalOnlyBuilder({ slidingWindow: model.config.slidingWindow }),
      );
      const report = await auditMask(broken, specsOf('10101'));
      assert.deepEqual(
        report.layers.map((l) => l.ok),
        [false, true, false, true, false],
      );
    });
  });
});
