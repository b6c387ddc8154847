import { datasetErrors } from '../errors.js';

/** Where the word that decides a name's type stands: after it, before it, or one word on each side. */
export type SyntheticTask = 'right' | 'left' | 'both';

/** The generator's params, defaults filled (see syntheticParamsSchema). */
export interface SyntheticParams {
  task: SyntheticTask;
  /** How many positions the deciding word stands from the name (1: next to it). */
  distance: number;
  /** Words per sentence. */
  length: number;
  train: number;
  dev: number;
  test: number;
  /** Distinct words in the corpus: names + deciding words + filler words. */
  vocabSize: number;
  /** Distinct names (the words that get an entity tag). */
  names: number;
  /** Probability that a sentence's deciding word(s) say ORG (the rest say PER). */
  orgShare: number;
  /** Probability that the gold type is flipped to the other one after the deciding word was drawn. */
  noise: number;
  seed: number;
}

/** The deciding words of each task: ORG first, PER second (the `both` task reads them as an XOR, see docs). */
export const cueWords = {
  right: { org: 'Corp', per: 'said' },
  left: { org: 'shares', per: 'Mr' },
} as const;

/** How many deciding words a task uses. */
export function cueCount(task: SyntheticTask): number {
  return task === 'both' ? 4 : 2;
}

/** JSON schema of dataset:synthetic's params (written `as const` so the types flow through). */
export const syntheticParamsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    task: {
      enum: ['right', 'left', 'both'],
      default: 'right',
      description: 'right: the type is decided by a word after the name; left: before it; both: by the pair.',
    },
    distance: { type: 'integer', minimum: 1, default: 2, description: 'Positions between name and deciding word.' },
    length: { type: 'integer', minimum: 2, default: 8, description: 'Words per sentence.' },
    train: { type: 'integer', minimum: 1, default: 1000, description: 'Training sentences.' },
    dev: { type: 'integer', minimum: 1, default: 200, description: 'Dev sentences.' },
    test: { type: 'integer', minimum: 1, default: 400, description: 'Test sentences.' },
    vocabSize: {
      type: 'integer',
      minimum: 4,
      default: 100,
      description: 'Distinct words: names + deciding + fillers.',
    },
    names: { type: 'integer', minimum: 1, default: 20, description: 'Distinct names (tagged words).' },
    orgShare: { type: 'number', minimum: 0, maximum: 1, default: 0.5, description: 'P(deciding words say ORG).' },
    noise: { type: 'number', minimum: 0, maximum: 0.5, default: 0, description: 'P(gold type flipped).' },
    seed: { type: 'integer', minimum: 0, default: 1, description: 'Generator seed: same seed, same corpus.' },
  },
} as const;

const plugin = 'dataset:synthetic';

/**
 * Refuses params no corpus can be generated from, naming the param and what would fit: a deciding word beyond the
 * sentence, a vocabulary with no room for fillers, an empty split, probabilities outside their range.
 */
export function checkSyntheticParams(p: SyntheticParams): void {
  for (const split of ['train', 'dev', 'test'] as const)
    if (!Number.isInteger(p[split]) || p[split] < 1)
      throw datasetErrors.badParam(plugin, split, 'at least 1 sentence', `is ${p[split]}`);
  if (!Number.isInteger(p.distance) || p.distance < 1)
    throw datasetErrors.badParam(plugin, 'distance', 'an integer of at least 1', `is ${p.distance}`);
  const sides = p.task === 'both' ? 2 : 1;
  const needed = sides * p.distance + 1;
  if (!Number.isInteger(p.length) || p.length < needed)
    throw datasetErrors.badParam(
      plugin,
      'length',
      `at least ${needed} words for task ${p.task} at distance ${p.distance} (or distance at most ${Math.floor((p.length - 1) / sides)})`,
      `is ${p.length}, too short for the deciding word`,
    );
  if (!Number.isInteger(p.names) || p.names < 1)
    throw datasetErrors.badParam(plugin, 'names', 'at least 1', `is ${p.names}`);
  const minimum = p.names + cueCount(p.task) + 1;
  if (!Number.isInteger(p.vocabSize) || p.vocabSize < minimum)
    throw datasetErrors.badParam(
      plugin,
      'vocabSize',
      `at least ${minimum} (${p.names} names + ${cueCount(p.task)} deciding words + 1 filler), or fewer names`,
      `is ${p.vocabSize}, too small for the markers`,
    );
  if (!(p.orgShare >= 0 && p.orgShare <= 1))
    throw datasetErrors.badParam(plugin, 'orgShare', 'a probability in [0, 1]', `is ${p.orgShare}`);
  if (!(p.noise >= 0 && p.noise <= 0.5))
    throw datasetErrors.badParam(plugin, 'noise', 'a probability in [0, 0.5]', `is ${p.noise}`);
}
