import type { InputTransform, LayerMaskSpec } from '@lookright/core';
import { specAllows } from '@lookright/engine';
import { trainErrors } from '../errors.js';

/** What one word's label position can see of the sentence's word tokens, declared and computed. */
export interface WordVisibility {
  word: number;
  /** Input token indices the declaration allows. */
  declared: number[];
  /** Input token indices the label position reaches through every layer of the transformed sequence. */
  observed: number[];
}

/** The input audit of one transform under one set of layer masks. */
export interface InputAuditReport {
  input: string;
  context: InputTransform['context'];
  words: WordVisibility[];
  /** Words whose label is read at a token that is not a copy of the word's own first sub-word. */
  misplaced: number[];
  ok: boolean;
}

/**
 * For each position of an n-token sequence, the positions its output depends on after all layers: layer by layer,
 * position i takes in what every key it may attend had taken in (residual included, since i attends itself or
 * keeps its own stream).
 */
export function reachability(n: number, specs: readonly LayerMaskSpec[]): boolean[][] {
  let reach = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  for (const spec of specs) {
    const before = reach;
    reach = before.map((own, i) =>
      own.map((_, k) => before.some((row, j) => row[k] && specAllows(spec, i, j)) || own[k]),
    );
  }
  return reach;
}

/**
 * Audits an input transform on a sentence of `words` one-token words between the tokenizer's special tokens:
 * the visibility each word's label position really gets over the expanded sequence (followed back to the input
 * tokens through `sources`) must equal what the transform declares, over the sentence's word tokens. A transform
 * that lets a word see tokens its declaration hides (a leak of future tokens) or hides ones it promised is caught
 * here, before training, as is a label read at another word's token.
 */
export function auditInput(
  transform: InputTransform,
  specs: readonly LayerMaskSpec[],
  specials: { prefix: number; suffix: number },
  words = 6,
): InputAuditReport {
  const n = specials.prefix + words + specials.suffix;
  const ids = Array.from({ length: n }, (_, i) => 1000 + i);
  const positions = Array.from({ length: words }, (_, w) => specials.prefix + w);
  const out = transform.apply({ ids, positions, prefixLength: specials.prefix, suffixLength: specials.suffix });
  const isWord = (k: number) => k >= specials.prefix && k < specials.prefix + words;
  const plain = reachability(n, specs);
  const expanded = reachability(out.ids.length, specs);
  const wordsSeen = positions.map((p, w) => {
    const declared =
      transform.context === 'whole-sentence' ? positions : positions.filter((_, k) => plain[p][positions[k]]);
    const at = out.positions[w];
    const observed = [
      ...new Set(expanded[at]?.flatMap((r, j) => (r && isWord(out.sources[j]) ? [out.sources[j]] : [])) ?? []),
    ].sort((a, b) => a - b);
    return { word: w, declared: [...declared], observed };
  });
  const misplaced = positions.flatMap((p, w) => (out.sources[out.positions[w]] === p ? [] : [w]));
  const ok = misplaced.length === 0 && wordsSeen.every((v) => v.declared.join(',') === v.observed.join(','));
  return { input: transform.label, context: transform.context, words: wordsSeen, misplaced, ok };
}

/** One line per word: what it may see and what it sees, in word indices. */
export function formatInputAudit(report: InputAuditReport): string {
  const list = (tokens: number[], prefix: number) => tokens.map((t) => t - prefix).join(' ') || '-';
  const offset = Math.min(...report.words.flatMap((w) => [...w.declared, ...w.observed]), Number.MAX_SAFE_INTEGER);
  const rows = report.words.map(
    (w) =>
      `word ${w.word}: declared ${list(w.declared, offset)}; observed ${list(w.observed, offset)}${report.misplaced.includes(w.word) ? '; label read at another token' : ''}`,
  );
  return [
    `input audit (${report.input}, declared ${report.context}):`,
    ...rows,
    report.ok ? 'input audit: ok' : 'input audit: MISMATCH',
  ].join('\n');
}

/** Throws a typed error naming the transform and the first word whose visibility differs from its declaration. */
export function assertInputAuditOk(report: InputAuditReport): void {
  if (report.ok) return;
  const bad = report.words.find(
    (w) => w.declared.join(',') !== w.observed.join(',') || report.misplaced.includes(w.word),
  );
  throw trainErrors.inputAuditMismatch(report.input, report.context, bad?.word ?? 0, formatInputAudit(report));
}
