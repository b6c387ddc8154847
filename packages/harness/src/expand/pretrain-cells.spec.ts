import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSuiteText } from '@lookright/core';
import { defaultPretrainConfig } from '@lookright/train';
import { testRegistry } from '../testing/test-registry.js';
import { expandSuiteWithPretraining } from './expand-suite.js';

const runner = { id: 'runner:test', version: '1' };
const pretrainRunner = { id: 'runner:test-pretrain', version: '1', numerics: { backend: 'wasm', native: 'off' } };

/** A suite whose backbone `made` names a pre-training recipe on `corpus` (a folder of the suite's). */
function setup(recipe = 'objective: clm, size: micro, steps: 5', corpus = 'corpus') {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-pretrain-expand-'));
  writeFileSync(join(dir, 'train.txt'), 'EU/B-ORG rejects/O\nPeter/B-PER Blackburn/I-PER\n');
  mkdirSync(join(dir, 'corpus'));
  writeFileSync(join(dir, 'corpus', 'a.txt'), 'It was the best of times.\n');
  writeFileSync(join(dir, 'corpus', 'README.txt'), 'not read by pre-training\n');
  const file = join(dir, 'suite.yaml');
  const text = `name: t
recipe: {epochs: 1}
axes:
  backbone:
    - {id: backbone:tiny, name: made, params: {path: model, pretrain: {${recipe}, corpus: ${corpus}}}}
    - {id: backbone:tiny, name: plain, params: {path: model}}
  mask: [mask:causal]
  dataset: [{id: dataset:lines, params: {file: train.txt}}]
  seed: [1, 2]
`;
  writeFileSync(file, text);
  return { dir, file, text };
}

async function expand(s: { file: string; text: string }, missingData: 'error' | 'mark' = 'error') {
  const registry = testRegistry();
  const suite = validateSuiteText(s.file, s.text, registry);
  return expandSuiteWithPretraining(suite, {
    registry,
    suiteFile: s.file,
    runner,
    pretrainRunner,
    env: { LOOKRIGHT_CACHE_DIR: join(s.file, '..', 'cache') },
    missingData,
  });
}

const hashesOf = (e: Awaited<ReturnType<typeof expand>>, backbone: string) =>
  e.cells.filter((c) => c.labels.backbone === backbone).map((c) => c.hash);

describe('expansion of pre-training cells', () => {
  it('makes one cell per recipe, with every default filled, that its fine-tuning cells name', async () => {
    const s = setup();
    const { pretrain, cells } = await expand(s);
    assert.equal(pretrain.length, 1);
    const [cell] = pretrain;
    assert.equal(cell.config.kind, 'pretrain');
    assert.deepEqual(cell.config.recipe, {
      objective: 'clm',
      size: 'micro',
      steps: 5,
      batchSize: defaultPretrainConfig.batchSize,
      seqLen: defaultPretrainConfig.seqLen,
      learningRate: defaultPretrainConfig.learningRate,
      warmupRatio: defaultPretrainConfig.warmupRatio,
      seed: defaultPretrainConfig.seed,
      maxChars: defaultPretrainConfig.maxChars,
    });
    assert.deepEqual(
      cell.config.corpus.files.map((f) => f.name),
      ['a.txt'],
      'the files pre-training reads (README left out)',
    );
    assert.deepEqual(cell.config.runner, pretrainRunner);
    assert.equal(cell.index, cells.length, 'numbered after the fine-tuning cells');
    for (const c of cells)
      assert.equal(c.config.backbone.pretrained?.cell, c.labels.backbone === 'made' ? cell.hash : undefined);
  });

  it('changes the pre-training hash and its dependants, and only those, with the recipe or the corpus text', async () => {
    const base = await expand(setup());
    const steps = await expand(setup('objective: clm, size: micro, steps: 6'));
    const text = setup();
    writeFileSync(join(text.dir, 'corpus', 'a.txt'), 'It was the worst of times.\n');
    const corpus = await expand(text);
    for (const changed of [steps, corpus]) {
      assert.notEqual(changed.pretrain[0].hash, base.pretrain[0].hash);
      for (const hash of hashesOf(changed, 'made')) assert.ok(!hashesOf(base, 'made').includes(hash));
      assert.deepEqual(hashesOf(changed, 'plain'), hashesOf(base, 'plain'));
    }
    const same = await expand(setup('objective: clm, size: micro, steps: 5, seed: 1'));
    assert.equal(same.pretrain[0].hash, base.pretrain[0].hash, 'a default written out is the same recipe');
    assert.deepEqual(hashesOf(same, 'made'), hashesOf(base, 'made'));
    assert.deepEqual(hashesOf(same, 'plain'), hashesOf(base, 'plain'));
  });

  it('identifies the corpus by its text, not its path', async () => {
    const s = setup();
    const base = await expand(s);
    cpSync(join(s.dir, 'corpus'), join(s.dir, 'elsewhere'), { recursive: true });
    const moved = await expand({ file: s.file, text: s.text.replace('corpus: corpus', 'corpus: elsewhere') });
    assert.equal(moved.pretrain[0].hash, base.pretrain[0].hash);
    assert.deepEqual(hashesOf(moved, 'made'), hashesOf(base, 'made'));
  });

  it('refuses a corpus folder it cannot read, naming the key; a dry run marks it instead', async () => {
    const s = setup(undefined, 'missing');
    await assert.rejects(expand(s), {
      code: 'PRETRAIN_CORPUS_UNAVAILABLE',
      message:
        /suite\.yaml:5 at \/axes\/backbone\/0\/params\/pretrain\/corpus: cannot read the pre-training corpus .*missing/,
    });
    const marked = await expand(s, 'mark');
    assert.match(marked.pretrain[0].config.corpus.unavailable ?? '', /ENOENT/);
  });
});
