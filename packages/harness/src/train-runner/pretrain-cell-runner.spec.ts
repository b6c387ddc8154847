import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PretrainCellConfig } from '../expand/pretrain-cells.js';
import type { CellRunContext } from '../schedule/cell-runner.js';
import { pretrainCellRunner } from './pretrain-cell-runner.js';

/** A pre-training cell's config on a small generated text (micro size, 3 steps). */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-pretrain-runner-'));
  mkdirSync(join(dir, 'corpus'));
  const words = ['the', 'river', 'ran', 'past', 'old', 'mills', 'and', 'quiet', 'fields', 'of', 'barley'];
  const text = Array.from({ length: 600 }, (_, i) => words[(i * 7 + (i >> 3)) % words.length]).join(' ');
  writeFileSync(join(dir, 'corpus', 'a.txt'), `${text}.\n\n${text}.\n`);
  const config: PretrainCellConfig = {
    kind: 'pretrain',
    suite: { name: 't', file: join(dir, 'suite.yaml'), baseDir: dir, plugins: [] },
    backbone: {
      id: 'backbone:llama',
      label: 'clm-micro',
      params: {},
      paramsAsWritten: {},
      plugin: { package: '@lookright/plugin-llama', version: '0' },
    },
    recipe: {
      objective: 'clm',
      size: 'micro',
      steps: 3,
      batchSize: 2,
      seqLen: 16,
      learningRate: 0.003,
      warmupRatio: 0.05,
      seed: 1,
      maxChars: 20_000,
    },
    corpus: { dir: join(dir, 'corpus'), files: [] },
    runner: { id: 'runner:pretrain', version: '0' },
  };
  const artifactDir = join(dir, 'attempt');
  mkdirSync(artifactDir);
  const steps: number[] = [];
  const ctx = (cancelled = () => false): CellRunContext => ({
    artifactDir,
    log: () => {},
    reportStep: (step) => steps.push(step),
    isCancelled: cancelled,
    env: {},
  });
  return { config, artifactDir, steps, ctx };
}

describe('pretrainCellRunner', function () {
  this.timeout(120_000);

  it('starts over in a folder an interrupted attempt left, and reports the complete checkpoint only', async () => {
    const { config, artifactDir, steps, ctx } = setup();
    // what a killed attempt leaves: a half-written folder, and a stale complete one from an older attempt
    mkdirSync(join(artifactDir, 'checkpoint.partial'));
    writeFileSync(join(artifactDir, 'checkpoint.partial', 'model.safetensors'), 'half');
    mkdirSync(join(artifactDir, 'checkpoint'));
    writeFileSync(join(artifactDir, 'checkpoint', 'stale.bin'), 'old');
    const result = await pretrainCellRunner.run(config, ctx());
    assert.deepEqual(steps, [1, 2, 3]);
    assert.equal(existsSync(join(artifactDir, 'checkpoint.partial')), false);
    assert.deepEqual(readdirSync(join(artifactDir, 'checkpoint')).sort(), [
      'config.json',
      'model.safetensors',
      'pretrain.json',
      'tokenizer.json',
    ]);
    assert.deepEqual(result.artifacts.map((a) => a.name).sort(), [
      'checkpoint.config',
      'checkpoint.pretrain',
      'checkpoint.tokenizer',
      'checkpoint.weights',
      'config',
    ]);
    for (const name of ['finalLoss', 'validationLossBefore', 'validationLossAfter'])
      assert.ok(Number.isFinite(result.metrics[name]), name);
    const written = JSON.parse(readFileSync(join(artifactDir, 'checkpoint', 'pretrain.json'), 'utf8'));
    assert.equal(written.maskAudit.ok, true);
    assert.ok(written.maskAudit.layers.every((l: { observed: string }) => l.observed === 'causal'));
  });

  it('stops when its attempt is cancelled, leaving no complete checkpoint', async () => {
    const { config, artifactDir, ctx } = setup();
    let checks = 0;
    await assert.rejects(
      pretrainCellRunner.run(
        config,
        ctx(() => ++checks > 2),
      ),
      { code: 'PRETRAIN_CANCELLED' },
    );
    assert.equal(existsSync(join(artifactDir, 'checkpoint')), false);
  });
});
