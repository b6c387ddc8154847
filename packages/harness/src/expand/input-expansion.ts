import type { PluginContext, PluginRegistry } from '@lookright/core';
import type { ResolvedPlugin } from './cell-types.js';

/** How an input transform grows a sentence: about `factor · n + extra` tokens for an n-token sentence. */
export interface InputExpansion {
  factor: number;
  extra: number;
}

/** Sentence lengths the expansion is measured at, with the two special tokens most tokenizers add. */
const SHORT = 102;
const LONG = 202;
const SPECIALS = 2;

/**
 * Creates the input transform once and measures how it grows a sentence (cost estimates and `run --dry-run` scale
 * tokens by it). Read as affine in the length, which repetition and separators are.
 */
export async function measureInputExpansion(
  input: ResolvedPlugin,
  registry: PluginRegistry,
  ctx: PluginContext,
): Promise<InputExpansion> {
  const transform = await registry.create('input', input, ctx);
  const short = transform.expandedLength(SHORT, SPECIALS);
  const factor = (transform.expandedLength(LONG, SPECIALS) - short) / (LONG - SHORT);
  return { factor, extra: short - factor * SHORT };
}
