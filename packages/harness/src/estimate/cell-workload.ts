import type { CellConfig } from '../expand/cell-types.js';

/** Sub-words per word assumed when no tokenizer is consulted (CoNLL English with Llama/RoBERTa BPE: ~1.3–1.6). */
export const assumedSubwordsPerWord = 1.5;
/** Words per sentence assumed when the dataset could not be read (CoNLL-2003 train averages ~14.5). */
export const assumedWordsPerSentence = 14.5;

/** How much training one cell does, from its recipe and its dataset's fingerprint. */
export interface CellWorkload {
  /** Train sentences used (after trainLimit and the dataset's own limit), or null when unknown. */
  sentences: number | null;
  /** Optimiser steps over all epochs (capped by maxSteps). */
  steps: number | null;
  /** Sub-word tokens fed forward and backward over the whole run (estimated). */
  tokens: number | null;
}

export function cellWorkload(config: CellConfig): CellWorkload {
  const { recipe } = config;
  const print = config.dataset.fingerprint;
  const datasetLimit = typeof config.dataset.params.limit === 'number' ? config.dataset.params.limit : Infinity;
  const available = print.trainSentences;
  if (available === null) return { sentences: null, steps: null, tokens: null };
  const sentences = Math.min(available, recipe.trainLimit ?? Infinity, datasetLimit);
  const perStep = recipe.batchSize * recipe.gradientAccumulation;
  const epochSteps = Math.ceil(sentences / perStep);
  const steps = Math.min(epochSteps * recipe.epochs, recipe.maxSteps ?? Infinity);
  const wordsPerSentence = print.trainWords && available ? print.trainWords / available : assumedWordsPerSentence;
  const tokenized = wordsPerSentence * assumedSubwordsPerWord + 2;
  // an input transform (input:repeat) grows each sentence; maxLength bounds the grown sequence
  const expansion = config.input?.expansion ?? { factor: 1, extra: 0 };
  const tokensPerSentence = Math.min(recipe.maxLength, expansion.factor * tokenized + expansion.extra);
  return { sentences, steps, tokens: Math.round(steps * perStep * tokensPerSentence) };
}
