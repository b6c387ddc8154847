import type { LayerMaskSpec } from '@lookright/core';

/**
 * Which (query, key) pairs of one audit sequence a layer lets through: `rows` real queries by `cols` keys, row-major.
 * The audit writes its own expectation from the rules of the fixtures' README instead of reusing the mask builder
 * it is checking.
 */
export interface Visibility {
  rows: number;
  cols: number;
  /** 1 = query i sees key j. */
  cells: Uint8Array;
}

/** What the audit assumes about the model: its own sliding window, and which keys are real (not padding). */
export interface VisibilityContext {
  seqLen: number;
  /** Real tokens come first, padding after (right padding). */
  realLength: number;
  /** The model's sliding window W: keys with |i - j| >= W are never seen. */
  slidingWindow?: number;
}

/** The declared rule, written out: whether real query i may see key j under `spec` (padding and W applied). */
export function declaredSees(spec: LayerMaskSpec, i: number, j: number, ctx: VisibilityContext): boolean {
  if (j >= ctx.realLength) return false;
  if (ctx.slidingWindow !== undefined && Math.abs(i - j) >= ctx.slidingWindow) return false;
  if (spec.kind === 'causal') return j <= i;
  if (spec.kind === 'bidirectional') return true;
  return j - i <= spec.right && i - j <= spec.left;
}

/** The visibility a spec declares over the real queries and every key of the audit sequence. */
export function declaredVisibility(spec: LayerMaskSpec, ctx: VisibilityContext): Visibility {
  const rows = ctx.realLength;
  const cols = ctx.seqLen;
  const cells = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) cells[i * cols + j] = declaredSees(spec, i, j, ctx) ? 1 : 0;
  return { rows, cols, cells };
}

/** The (query, key) pairs where two visibilities differ. */
export function visibilityDifferences(a: Visibility, b: Visibility): { query: number; key: number }[] {
  const out: { query: number; key: number }[] = [];
  for (let n = 0; n < a.cells.length; n++) {
    if (a.cells[n] !== b.cells[n]) out.push({ query: Math.floor(n / a.cols), key: n % a.cols });
  }
  return out;
}

const isUnbounded = (side: number) => side >= Number.MAX_SAFE_INTEGER;

/** A spec as the audit table shows it: `causal`, `bidirectional`, `window(left=∞,right=2)`. */
export function describeSpec(spec: LayerMaskSpec): string {
  if (spec.kind !== 'window') return spec.kind;
  return `window(left=${isUnbounded(spec.left) ? '∞' : spec.left},right=${isUnbounded(spec.right) ? '∞' : spec.right})`;
}

/**
 * Names what a layer was seen to do: the first spec whose declared visibility equals the observation (causal,
 * bidirectional, a right-lookahead, a two-sided window), else `irregular`; `+ padding` when a real query saw a
 * padded key.
 */
export function describeObserved(observed: Visibility, ctx: VisibilityContext): string {
  let left = 0;
  let right = 0;
  let seesPadding = false;
  for (let i = 0; i < observed.rows; i++) {
    for (let j = 0; j < observed.cols; j++) {
      if (!observed.cells[i * observed.cols + j]) continue;
      if (j >= ctx.realLength) seesPadding = true;
      else {
        left = Math.max(left, i - j);
        right = Math.max(right, j - i);
      }
    }
  }
  const real = maskPadding(observed, ctx);
  const candidates: LayerMaskSpec[] = [
    { kind: 'causal' },
    { kind: 'bidirectional' },
    { kind: 'window', left: Number.MAX_SAFE_INTEGER, right },
    { kind: 'window', left, right },
  ];
  const match = candidates.find((spec) => visibilityDifferences(declaredVisibility(spec, ctx), real).length === 0);
  const name = match ? describeSpec(match) : 'irregular';
  return seesPadding ? `${name} + padding` : name;
}

/** The observation with padded keys cleared (they are reported apart). */
function maskPadding(v: Visibility, ctx: VisibilityContext): Visibility {
  const cells = v.cells.slice();
  for (let i = 0; i < v.rows; i++) for (let j = ctx.realLength; j < v.cols; j++) cells[i * v.cols + j] = 0;
  return { rows: v.rows, cols: v.cols, cells };
}
