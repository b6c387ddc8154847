import assert from 'node:assert/strict';
import type { TaggedSentence } from '@lookright/core';
import { evaluateWordTags } from '@lookright/text';
import { generateSynthetic } from './generate-synthetic.js';
import { syntheticCeilings } from './synthetic-ceiling.js';
import { checkSyntheticParams, cueWords, type SyntheticParams } from './synthetic-params.js';

const base: SyntheticParams = {
  task: 'right',
  distance: 2,
  length: 8,
  train: 200,
  dev: 50,
  test: 50,
  vocabSize: 60,
  names: 10,
  orgShare: 0.5,
  noise: 0,
  seed: 1,
};

const nameAt = (s: TaggedSentence) => s.tags.findIndex((t) => t !== 'O');
const typeOf = (s: TaggedSentence) => s.tags[nameAt(s)].slice(2);
const spanF1 = (gold: TaggedSentence[], predicted: string[][]) =>
  evaluateWordTags(gold, predicted, { mode: 'strict', scheme: 'iob2' }).f1;

describe('dataset:synthetic generator', () => {
  it('is deterministic per seed, and a split keeps its sentences when another split changes size', () => {
    const a = generateSynthetic(base);
    assert.deepEqual(generateSynthetic(base), a);
    assert.notDeepEqual(generateSynthetic({ ...base, seed: 2 }).splits.train, a.splits.train);
    const more = generateSynthetic({ ...base, train: 300 });
    assert.deepEqual(more.splits.test, a.splits.test);
    assert.deepEqual(more.splits.train?.slice(0, 200), a.splits.train);
    assert.notEqual(more.files[0].sha256, a.files[0].sha256);
  });

  it('writes one IOB2-tagged name per sentence, with the deciding word at the given distance', () => {
    for (const task of ['right', 'left', 'both'] as const) {
      const corpus = generateSynthetic({ ...base, task, distance: 3 });
      assert.deepEqual(corpus.labels, ['O', 'B-ORG', 'B-PER']);
      for (const s of corpus.splits.train ?? []) {
        assert.equal(s.words.length, 8);
        assert.equal(s.tags.filter((t) => t !== 'O').length, 1);
        const i = nameAt(s);
        assert.match(s.words[i], /^name\d+$/);
        if (task !== 'left') assert.ok([cueWords.right.org, cueWords.right.per].includes(s.words[i + 3] as never));
        if (task !== 'right') assert.ok([cueWords.left.org, cueWords.left.per].includes(s.words[i - 3] as never));
        const vocabulary = new Set(corpus.splits.train?.flatMap((x) => x.words));
        assert.ok(vocabulary.size <= 60);
      }
    }
  });

  it('refuses impossible params with a typed error naming the param and what would fit', () => {
    const refuse = (p: Partial<SyntheticParams>, key: string, fits: RegExp) =>
      assert.throws(
        () => checkSyntheticParams({ ...base, ...p }),
        (e: Error & { code?: string }) =>
          e.code === 'DATASET_BAD_PARAM' && e.message.includes(`param ${key} `) && fits.test(e.message),
      );
    refuse({ distance: 8, length: 8 }, 'length', /at least 9 words .* distance at most 7/);
    refuse({ task: 'both', distance: 4, length: 8 }, 'length', /at least 9 words for task both/);
    refuse({ vocabSize: 12, names: 10 }, 'vocabSize', /at least 13 \(10 names \+ 2 deciding words \+ 1 filler\)/);
    refuse({ train: 0 }, 'train', /at least 1 sentence/);
    refuse({ test: 0 }, 'test', /at least 1 sentence/);
    refuse({ noise: 0.7 }, 'noise', /\[0, 0\.5\]/);
  });
});

describe('dataset:synthetic documented ceilings against the generated data', () => {
  // large enough that the empirical shares are within ~0.01 of their expectation (std ≈ 0.5/√n)
  const n = 8000;
  const tolerance = 4 * Math.sqrt(0.25 / n);

  /**
   * The best causal guess learned from train: the gold type most frequent for what the name's position sees (its
   * position, the name and the words up to the deciding distance on its left; further-left words are fillers).
   */
  function bestCausalPredictions(train: TaggedSentence[], test: TaggedSentence[], d: number): string[][] {
    const visible = (s: TaggedSentence) => `${nameAt(s)}:${s.words.slice(Math.max(0, nameAt(s) - d), nameAt(s) + 1)}`;
    const counts = new Map<string, { ORG: number; PER: number }>();
    const total = { ORG: 0, PER: 0 };
    for (const s of train) {
      const c = counts.get(visible(s)) ?? { ORG: 0, PER: 0 };
      c[typeOf(s) as 'ORG' | 'PER'] += 1;
      total[typeOf(s) as 'ORG' | 'PER'] += 1;
      counts.set(visible(s), c);
    }
    return test.map((s) => {
      const c = counts.get(visible(s)) ?? total;
      return s.tags.map((_, j) => (j === nameAt(s) ? (c.ORG >= c.PER ? 'B-ORG' : 'B-PER') : 'O'));
    });
  }

  /** The best full-context guess: the type the deciding word(s) say. */
  function cuePredictions(test: TaggedSentence[], task: SyntheticParams['task'], d: number): string[][] {
    return test.map((s) => {
      const i = nameAt(s);
      const rightOrg = s.words[i + d] === cueWords.right.org;
      const leftOrg = s.words[i - d] === cueWords.left.org;
      const org = task === 'right' ? rightOrg : task === 'left' ? leftOrg : rightOrg === leftOrg;
      return s.tags.map((_, j) => (j === i ? (org ? 'B-ORG' : 'B-PER') : 'O'));
    });
  }

  for (const [task, orgShare, noise] of [
    ['right', 0.5, 0],
    ['right', 0.7, 0.1],
    ['both', 0.6, 0.05],
    ['left', 0.5, 0.2],
  ] as const) {
    it(`${task} task, orgShare ${orgShare}, noise ${noise}: causal and full-context F1 match the formula`, () => {
      const p = { ...base, task, orgShare, noise, train: n, test: n, names: 3, length: 6, vocabSize: 9 };
      const corpus = generateSynthetic(p);
      const [train, test] = [corpus.splits.train ?? [], corpus.splits.test ?? []];
      const ceilings = syntheticCeilings(p);
      const orgShareSeen = test.filter((s) => typeOf(s) === 'ORG').length / test.length;
      assert.ok(Math.abs(orgShareSeen - ceilings.goldOrgShare) < tolerance, `gold ORG share ${orgShareSeen}`);
      const causal = spanF1(test, bestCausalPredictions(train, test, p.distance));
      assert.ok(Math.abs(causal - ceilings.causal) < tolerance, `causal ${causal} vs ceiling ${ceilings.causal}`);
      const full = spanF1(test, cuePredictions(test, task, p.distance));
      assert.ok(Math.abs(full - ceilings.fullContext) < tolerance, `full ${full} vs ${ceilings.fullContext}`);
    });
  }
});
