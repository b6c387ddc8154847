import type { SyntheticParams } from './synthetic-params.js';

/** The best span F1 achievable in expectation, by what a model's attention lets the name's position see. */
export interface SyntheticCeilings {
  /** P(gold type is ORG) = orgShare·(1 − noise) + (1 − orgShare)·noise. */
  goldOrgShare: number;
  /** A model that sees the whole sentence (any open layer, for the right task): 1 − noise. */
  fullContext: number;
  /** A model whose every layer is causal: sees the name and what is left of it. */
  causal: number;
}

/**
 * The documented ceilings (docs/synthetic-dataset.md). Every sentence holds exactly one one-word name, so a model
 * that tags every name (any type) has precision = recall = (right types) / (names), and its span F1 is the share of
 * names typed right. Seeing the deciding word(s), the best guess is the type they say: right unless the noise flipped
 * it, 1 − noise. Without them (right and both tasks under a causal model: the name and its left context are
 * independent of the type), the best guess is the more frequent gold type: max(q, 1 − q) with q the gold ORG share.
 * For the left task a causal model sees the deciding word, so its ceiling is the full-context one.
 */
export function syntheticCeilings(p: Pick<SyntheticParams, 'task' | 'orgShare' | 'noise'>): SyntheticCeilings {
  const q = p.orgShare * (1 - p.noise) + (1 - p.orgShare) * p.noise;
  const fullContext = 1 - p.noise;
  return { goldOrgShare: q, fullContext, causal: p.task === 'left' ? fullContext : Math.max(q, 1 - q) };
}
