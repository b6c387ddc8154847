import assert from 'node:assert/strict';
import { bidirectional, causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { auditMask } from '../audit/audit-mask.js';
import { formatMaskAudit } from '../audit/format-audit.js';
import { useTestBackend } from '../testing/test-backend.js';
import type { EncoderModel } from './encoder-model.js';
import { loadEncoder } from './load-encoder.js';

describe('the mask audit on encoders', function () {
  this.timeout(120_000);
  let model: EncoderModel;
  before(async function () {
    await useTestBackend();
    model = (await loadEncoder(fixturePath(this, 'hf-tiny', 'roberta-tiny'))).model;
  });
  after(() => model?.dispose());

  it('observes every layer bidirectional and padding invisible', async () => {
    const report = await auditMask(model, [bidirectional, bidirectional], { source: 'roberta-tiny' });
    assert.ok(report.ok, formatMaskAudit(report));
    // the first run caches the mask pattern of its sequence length; a second run adds nothing
    const before = tf.memory().numTensors;
    assert.ok((await auditMask(model, [bidirectional, bidirectional], { source: 'roberta-tiny' })).ok);
    assert.equal(tf.memory().numTensors, before, 'the audit leaks no tensors');
  });

  it('finds the mismatch when causal layers are declared (an encoder never masks the future)', async () => {
    await assert.rejects(
      auditMask(model, [causal, causal], { source: 'roberta-tiny' }),
      (e: Error & { code?: string }) => e.code === 'ENCODER_MASK_NOT_BIDIRECTIONAL',
    );
  });
});
