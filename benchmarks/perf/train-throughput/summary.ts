/**
 * bench:train's closing line per (config, mode): tokens/s of each side, the fastest PyTorch variant, the ratios and
 * issue 16's bars, computed from the measurement lines alone (no process runs here).
 */
import { BATCH, type MatmulPrecision, SEQ } from './bench-config.js';

/** Bars from issue 16, as fractions of PyTorch's tokens/s. */
export const BARS = { tfjs: 0.2, native: 1.2 };

/**
 * One measurement line, as run-one.ts (native true/false) or the PyTorch reference (native null) prints it.
 * `matmul_precision` is absent from lines of scripts that predate it: those are f32.
 */
export type BenchLine = Record<string, unknown> & {
  config: string;
  mode: string;
  tokens_per_s: number;
  native: boolean | null;
  matmul_precision?: unknown;
  variant?: unknown;
  /** Which repetition of the whole measurement list (bench:train --repeat) the line came from; absent: the only one. */
  round?: unknown;
};

/** A line's round (1 when it has none). */
const roundOf = (line: BenchLine) => (typeof line.round === 'number' ? line.round : 1);

/** The lines grouped by round, in round order. */
function linesByRound(lines: BenchLine[]): BenchLine[][] {
  const rounds = [...new Set(lines.map(roundOf))].sort((a, b) => a - b);
  return rounds.map((r) => lines.filter((l) => roundOf(l) === r));
}

/** A line's matmul precision; a line without one ran in f32. */
export function precisionOf(line: BenchLine): MatmulPrecision {
  return line.matmul_precision === 'bf16' ? 'bf16' : 'f32';
}

/** What the limit columns need: the step's matmul FLOPs and the machine's single-GEMM peak (either may be unknown). */
export interface StepLimit {
  flops: number | null;
  peakGflops: number | null;
}

/** The fastest PyTorch variant among some lines and every variant's tokens/s (copies of one variant add up). */
export interface TorchBest {
  variant: string | undefined;
  tokensPerS: number | undefined;
  byVariant: Record<string, number>;
}

const round3 = (v: number) => Number(v.toFixed(3));
/** a / b to 3 decimals, or null when either is missing or zero. */
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? round3(a / b) : null);
const meets = (r: number | null, bar: number) => (r === null ? null : r >= bar);
/** Sum of tokens/s over the lines (the N processes of --copies N add up), undefined when there are none. */
const sum = (lines: BenchLine[]) =>
  lines.reduce<number | undefined>((acc, r) => (acc ?? 0) + r.tokens_per_s, undefined);

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * tokens/s of one measurement over its lines: each round's copies added up, then the median over rounds (with one
 * round, the sum); undefined when there are none.
 */
const total = (lines: BenchLine[]) => {
  const sums = linesByRound(lines).map((round) => sum(round) ?? 0);
  return sums.length ? median(sums) : undefined;
};

/**
 * The fastest PyTorch variant of (config, mode) among `lines`, each variant's copies summed (the median over
 * rounds). Every variant that ran for any row is listed, at 0 where it left no line for this one (it failed).
 */
export function fastestTorch(lines: BenchLine[], config: string, mode: string): TorchBest {
  const torch = lines.filter((r) => r.native === null);
  const variants = [...new Set(torch.map((r) => String(r.variant)))];
  const row = torch.filter((r) => r.config === config && r.mode === mode);
  const tokensOf = (v: string) => total(row.filter((r) => String(r.variant) === v)) ?? 0;
  const byVariant = Object.fromEntries(variants.map((v) => [v, tokensOf(v)]));
  const variant = variants.sort((a, b) => byVariant[b] - byVariant[a])[0];
  return { variant, tokensPerS: variant === undefined ? undefined : byVariant[variant], byVariant };
}

/**
 * The summary of one (config, mode). Every field bench:train printed before bf16 existed comes from f32 lines only
 * (native and pure tfjs against the fastest f32 PyTorch variant). When bf16 lines exist, bf16 fields follow:
 * native bf16 against the fastest PyTorch variant of all, f32 or bf16 (a faster reference is the honest one; the
 * bar is judged on that), and against the fastest bf16 PyTorch variant.
 */
export function summaryLine(all: BenchLine[], config: string, mode: string, limit: StepLimit): Record<string, unknown> {
  const f32 = all.filter((r) => precisionOf(r) === 'f32');
  const bf16 = all.filter((r) => precisionOf(r) === 'bf16');
  /** tokens/s of this row's tfjs lines (native false) or native lines (native true) among `lines`. */
  const lookrightTps = (lines: BenchLine[], native: boolean) =>
    total(lines.filter((r) => r.config === config && r.mode === mode && r.native === native));
  const torch = fastestTorch(f32, config, mode);
  const tfjsTps = lookrightTps(f32, false);
  const nativeTps = lookrightTps(f32, true);
  const tfjs = ratio(tfjsTps, torch.tokensPerS);
  const native = ratio(nativeTps, torch.tokensPerS);
  const { flops, peakGflops } = limit;
  // FLOP-bound tokens/s: every matmul of the step at the single-GEMM peak, nothing else costing time
  const limitTps = flops && peakGflops ? (BATCH * SEQ) / (flops / (peakGflops * 1e9)) : null;
  const ofLimit = (v: number | undefined) => (v && limitTps ? round3(v / limitTps) : null);
  const line: Record<string, unknown> = {
    config,
    mode,
    matmul_gflop_per_step: flops === null ? null : Number((flops / 1e9).toFixed(2)),
    gemm_peak_gflops: peakGflops,
    limit_tokens_per_s: limitTps === null ? null : Math.round(limitTps),
    tfjs_of_limit: ofLimit(tfjsTps),
    native_of_limit: ofLimit(nativeTps),
    pytorch_of_limit: ofLimit(torch.tokensPerS),
    pytorch_tokens_per_s: torch.tokensPerS ?? null,
    pytorch_best_variant: torch.variant ?? null,
    pytorch_variants: torch.byVariant,
    tfjs_vs_pytorch: tfjs,
    native_vs_pytorch: native,
    tfjs_bar: BARS.tfjs,
    native_bar: BARS.native,
    tfjs_meets_bar: meets(tfjs, BARS.tfjs),
    native_meets_bar: meets(native, BARS.native),
  };
  // with several rounds, each round's own ratios (that round's lines only): how far one run's ratio moves
  const perRound = linesByRound(all);
  const roundLines = perRound.length > 1 ? perRound.map((lines) => summaryLine(lines, config, mode, limit)) : [];
  const byRound = (key: string) => roundLines.map((l) => (l[key] as number | null | undefined) ?? null);
  if (roundLines.length) {
    Object.assign(line, {
      rounds: roundLines.length,
      tfjs_vs_pytorch_by_round: byRound('tfjs_vs_pytorch'),
      native_vs_pytorch_by_round: byRound('native_vs_pytorch'),
    });
  }
  if (!bf16.some((r) => r.config === config && r.mode === mode)) return line;
  const bf16Line = bf16Fields(fastestTorch(bf16, config, mode), lookrightTps(bf16, true), torch);
  if (roundLines.length) bf16Line.native_bf16_vs_pytorch_best_by_round = byRound('native_bf16_vs_pytorch_best');
  return { ...line, ...bf16Line };
}

/** The bf16 columns: native bf16 against the fastest bf16 PyTorch variant and against the fastest of all. */
function bf16Fields(torch: TorchBest, nativeTps: number | undefined, torchF32: TorchBest): Record<string, unknown> {
  const bestOfAll = Math.max(torch.tokensPerS ?? 0, torchF32.tokensPerS ?? 0) || undefined;
  const vsBest = ratio(nativeTps, bestOfAll);
  return {
    native_bf16_tokens_per_s: nativeTps ?? null,
    pytorch_bf16_best_variant: torch.variant ?? null,
    pytorch_bf16_tokens_per_s: torch.tokensPerS ?? null,
    pytorch_bf16_variants: torch.byVariant,
    native_bf16_vs_pytorch_best: vsBest,
    native_bf16_vs_pytorch_bf16: ratio(nativeTps, torch.tokensPerS),
    native_bf16_meets_bar: meets(vsBest, BARS.native),
  };
}
