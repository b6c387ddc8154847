import { createHash } from 'node:crypto';
import { SeededRng, type SplitName, type TaggedCorpus, type TaggedSentence } from '@lookright/core';
import { checkSyntheticParams, cueCount, cueWords, type SyntheticParams } from './synthetic-params.js';

/** The entity types; the tags are B-ORG and B-PER (one-word names), so IOB2 span F1 applies. */
export const syntheticLabels = ['O', 'B-ORG', 'B-PER'] as const;

/** The words of a synthetic corpus: names get a tag, cue words decide which, fillers are noise. */
export interface SyntheticVocabulary {
  names: string[];
  fillers: string[];
}

/** Names `name0..`, fillers `w0..`: the deciding words (cueWords) are the only English ones. */
export function syntheticVocabulary(p: SyntheticParams): SyntheticVocabulary {
  const fillerCount = p.vocabSize - p.names - cueCount(p.task);
  return {
    names: Array.from({ length: p.names }, (_, i) => `name${i}`),
    fillers: Array.from({ length: fillerCount }, (_, i) => `w${i}`),
  };
}

/** Where the name and its deciding word(s) stand in one sentence, and the type before and after noise. */
interface Placement {
  name: number;
  cues: { at: number; word: string }[];
  gold: 'ORG' | 'PER';
}

function place(p: SyntheticParams, rng: SeededRng): Placement {
  const d = p.distance;
  const saysOrg = rng.next() < p.orgShare;
  const flipped = rng.next() < p.noise;
  const gold = saysOrg !== flipped ? 'ORG' : 'PER';
  const { right, left } = cueWords;
  if (p.task === 'right') {
    const name = rng.nextInt(p.length - d);
    return { name, cues: [{ at: name + d, word: saysOrg ? right.org : right.per }], gold };
  }
  if (p.task === 'left') {
    const name = d + rng.nextInt(p.length - d);
    return { name, cues: [{ at: name - d, word: saysOrg ? left.org : left.per }], gold };
  }
  // both: ORG when the two deciding words are of the same kind (both ORG-words or both PER-words), so either one
  // alone says nothing about the type
  const name = d + rng.nextInt(p.length - 2 * d);
  const rightSaysOrg = rng.next() < 0.5;
  const leftSaysOrg = saysOrg === rightSaysOrg;
  return {
    name,
    cues: [
      { at: name - d, word: leftSaysOrg ? left.org : left.per },
      { at: name + d, word: rightSaysOrg ? right.org : right.per },
    ],
    gold,
  };
}

function sentence(p: SyntheticParams, vocab: SyntheticVocabulary, rng: SeededRng, index: number, split: string) {
  const placement = place(p, rng);
  const words = Array.from({ length: p.length }, () => vocab.fillers[rng.nextInt(vocab.fillers.length)]);
  const tags = words.map(() => 'O');
  words[placement.name] = vocab.names[rng.nextInt(vocab.names.length)];
  tags[placement.name] = `B-${placement.gold}`;
  for (const cue of placement.cues) words[cue.at] = cue.word;
  return { words, tags, origin: `dataset:synthetic ${split} #${index + 1}` } satisfies TaggedSentence;
}

const splitNames: readonly SplitName[] = ['train', 'dev', 'test'];

/**
 * Generates the corpus: each split from its own stream of the seed (so changing one split's size leaves the others
 * as they were), one name per sentence tagged B-ORG or B-PER, every other word O. `files` holds the sha256 of the
 * generated text, so a cell's hash changes if the generator's output ever does.
 */
export function generateSynthetic(p: SyntheticParams): TaggedCorpus {
  checkSyntheticParams(p);
  const vocab = syntheticVocabulary(p);
  const root = new SeededRng(p.seed);
  const streams = splitNames.map(() => root.fork());
  const splits: TaggedCorpus['splits'] = {};
  const digest = createHash('sha256');
  splitNames.forEach((split, s) => {
    const sentences = Array.from({ length: p[split] }, (_, i) => sentence(p, vocab, streams[s], i, split));
    for (const x of sentences) digest.update(`${split}\t${x.words.join(' ')}\t${x.tags.join(' ')}\n`);
    splits[split] = sentences;
  });
  return {
    name: `synthetic-${p.task}`,
    scheme: 'iob2',
    labels: [...syntheticLabels],
    splits,
    files: [{ path: 'dataset-synthetic-generated.txt', sha256: digest.digest('hex') }],
    warnings: [],
  };
}
