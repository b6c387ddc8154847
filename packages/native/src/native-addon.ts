import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type F32 = Float32Array;
type I32 = Int32Array;

/** C = op(A) op(B) (+ bias [n] on every row when given) over row-major batches; a batch of 1 broadcasts. */
type GemmCall = (
  a: F32,
  b: F32,
  c: F32,
  batchA: number,
  batchB: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  bias?: F32,
) => void;

/** The OpenBLAS the addon runs on. */
export interface BlasInfo {
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
  config: string;
  threads: number;
  /** openblas_get_corename(): the kernels chosen for this CPU (or forced by OPENBLAS_CORETYPE), e.g. "SkylakeX". */
  core: string;
  /**
   * Whether float32 products give the same bits for any OpenBLAS thread count (checked once on this CPU; csrc/gemm.cc).
   * When false, gemm runs every product on one OpenBLAS thread, so results still never depend on the count.
   */
  threadInvariant: boolean;
  /**
   * openblas_thread_timeout(): log2 of the cycles an idle OpenBLAS worker busy-waits before it sleeps (4-30), as the
   * library read OPENBLAS_THREAD_TIMEOUT at load (see chooseBlasThreadTimeout); null when the library does not say.
   */
  threadTimeout: number | null;
}

/**
 * What decides the bits of the addon's float32 products, for a cell's hash: the OpenBLAS version and kernel core,
 * plus ", one thread" where products are held to one OpenBLAS thread. E.g. "OpenBLAS 0.3.21 SkylakeX".
 */
export function blasNumerics(info: Pick<BlasInfo, 'config' | 'core' | 'threadInvariant'>): string {
  const version = info.config.split(' ').slice(0, 2).join(' ');
  return `${version} ${info.core}${info.threadInvariant ? '' : ', one thread'}`;
}

/** The C++ addon's exports (packages/native/csrc). Every buffer is a view; outputs are written in place. */
export interface NativeAddon {
  blasInfo(): BlasInfo;
  setBlasThreads(threads: number): void;
  /**
   * Threads the element-wise kernels, AdamW and batches of small GEMMs split their work over (csrc/parallel.cc;
   * the caller's thread included, 1 = serial). Results are the same for every count: each element, row or batch
   * entry is computed exactly as the serial loop computes it.
   */
  setKernelThreads(threads: number): void;
  kernelThreads(): number;
  readonly fastMath: boolean;
  /** C = op(A) op(B) (+ bias [n] on every row when given); a batch of 1 broadcasts. */
  gemm: GemmCall;
  /**
   * gemm's product with both operands rounded to bfloat16 (round to nearest even; NaN kept; subnormals to zero) and
   * the products summed in float32 on Intel AMX tiles, 32 values of K at a time (csrc/gemm_bf16.cc). Throws when
   * amxBf16Available() is false.
   */
  gemmBf16: GemmCall;
  /** Whether this CPU has AMX-BF16 (and AVX512-BF16) and the OS granted the process the tile registers. */
  amxBf16Available(): boolean;
  /** c = addend + c * scale element-wise (multiply rounded, then add: never one fused multiply-add). */
  addScaledInto(c: F32, addend: F32, scale: number): void;
  /** out = a op b element-wise (op 0 add, 1 multiply); a or b may hold one value (a scalar broadcast). */
  binaryF32(op: number, a: F32, b: F32, out: F32): void;
  /** out[j] = sum of x[i * cols + j] over rows i in order; `wide`: double accumulators rounded once (cpu's Sum). */
  columnSumF32(x: F32, rows: number, out: F32, wide: boolean): void;
  /**
   * out[i] = sum of xs[i][j]^2 over j in order, each square rounded to float32 (tf.sum(tf.square(x))); `wide`: a
   * double accumulator rounded once (cpu's Sum), else float (wasm's). The arrays are split over the kernel threads.
   */
  sumsOfSquares(xs: F32[], out: F32, wide: boolean): void;
  /** out = x * mask, the mask of the engine's dropoutMask(n, rate, seed) given seed >>> 0, rate * 2^32, 1 / (1 - rate). */
  dropoutApply(x: F32, out: F32, seed: number, threshold: number, keep: number): void;
  rmsNormForward(x: F32, w: F32, y: F32, r: F32, rows: number, cols: number, eps: number): void;
  rmsNormBackward(dy: F32, x: F32, w: F32, r: F32, dx: F32, dw: F32, rows: number, cols: number): void;
  /** gate/up rows are `inStride` apart (I for separate tensors, 2I for a fused gate|up). */
  swigluForward(gate: F32, up: F32, y: F32, rows: number, inter: number, inStride: number): void;
  swigluBackward(
    gate: F32,
    up: F32,
    dy: F32,
    dGate: F32,
    dUp: F32,
    rows: number,
    inter: number,
    inStride: number,
  ): void;
  /** mode 0 split+rotate, 1 unrotate+merge, 2 split, 3 merge, 4 rotate in [B,S,H,D], 5 unrotate in [B,S,H,D]. */
  ropeSplitHeads(
    x: F32,
    y: F32,
    cos: F32,
    sin: F32,
    batch: number,
    seq: number,
    heads: number,
    headDim: number,
    mode: number,
    perBatch: boolean,
    tableStride: number,
    sinOffset: number,
  ): void;
  /** Mask element (b, h, r, j) is mask[b*strideB + h*strideH + r*strideR + j]; stride 0 broadcasts. */
  maskedSoftmaxForward(
    scores: F32,
    mask: F32,
    y: F32,
    batch: number,
    heads: number,
    rows: number,
    cols: number,
    maskStrideB: number,
    maskStrideH: number,
    maskStrideR: number,
    scale: number,
  ): void;
  maskedSoftmaxBackward(y: F32, dy: F32, ds: F32, rows: number, cols: number, scale: number): void;
  /**
   * Grouped-query attention with optional RoPE (csrc/attention.cc): q [B,S,H*D], k/v [B,S,KV*D] -> ctx [B,S,H*D] and
   * probs [B,H,S,S]; mask element (b, h, r, j) at mask[b*strideB + h*strideH + r*strideR + j]. Bit-identical to
   * ropeSplitHeads, gemm, maskedSoftmaxForward and the merge run one after the other.
   */
  attentionForward(
    q: F32,
    k: F32,
    v: F32,
    mask: F32,
    cos: F32,
    sin: F32,
    ctx: F32,
    probs: F32,
    batch: number,
    seq: number,
    heads: number,
    kvHeads: number,
    headDim: number,
    maskStrideB: number,
    maskStrideH: number,
    maskStrideR: number,
    scale: number,
    rotate: boolean,
    perBatch: boolean,
    tableStride: number,
    sinOffset: number,
  ): void;
  /**
   * Whether attentionForward / attentionBackward give here the bits of the separate kernels (their products sum as
   * this OpenBLAS's do); checked once at first call. Where not, the engine ops keep the separate kernels.
   */
  attentionExact(): boolean;
  /** attentionForward's gradients dq [B,S,H*D], dk and dv [B,S,KV*D] from dctx and the saved probs. */
  attentionBackward(
    dctx: F32,
    q: F32,
    k: F32,
    v: F32,
    probs: F32,
    cos: F32,
    sin: F32,
    dq: F32,
    dk: F32,
    dv: F32,
    batch: number,
    seq: number,
    heads: number,
    kvHeads: number,
    headDim: number,
    scale: number,
    rotate: boolean,
    perBatch: boolean,
    tableStride: number,
    sinOffset: number,
  ): void;
  embeddingGather(table: F32, ids: I32, y: F32, n: number, vocab: number, hidden: number): void;
  embeddingScatterAdd(dy: F32, ids: I32, dTable: F32, n: number, vocab: number, hidden: number): void;
  /**
   * One AdamW update with the tfjs AdamW's float32 rounding (csrc/adamw.cc); the ten scalars follow
   * ADAMW_SCALAR_ORDER. Outputs are the inputs (in place) or buffers overlapping none of them.
   */
  adamwUpdate(p: F32, g: F32, m: F32, v: F32, pOut: F32, mOut: F32, vOut: F32, n: number, ...scalars: number[]): void;
}

export type AddonLoad = { ok: true; addon: NativeAddon; path: string } | { ok: false; reason: string };

export const addonPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'build',
  'Release',
  'lookright_native.node',
);

let cached: AddonLoad | undefined;

/**
 * Loads the compiled addon (the package's own build, cached, unless `file` names another);
 * never throws: a missing or broken build comes back as a reason string.
 */
export function loadAddon(file: string = addonPath): AddonLoad {
  if (file === addonPath && cached) return cached;
  const result = loadFrom(file);
  if (file === addonPath) cached = result;
  return result;
}

/**
 * Chooses OpenBLAS's GEMM kernels before the library loads (it reads OPENBLAS_CORETYPE once, at load).
 * On a CPU with AVX-512F the SkylakeX kernels are used unless LOOKRIGHT_BLAS_CORETYPE names another core, also
 * when the environment says OPENBLAS_CORETYPE=Haswell (as this project's machines do): measured here, Haswell's
 * kernels give about half the GFLOP/s, and their result for a row depends on the row's position in the matrix
 * (390 of 420 shapes tested), which the engine's mask audit (tolerance 0) reads as a leak; SkylakeX's do not
 * (0 of 420). On a virtualised Xeon, auto-detection picked "Cooperlake", 3x slower than SkylakeX.
 * Any other explicit OPENBLAS_CORETYPE is kept. Returns the core type set, if any.
 */
export function chooseBlasCoreType(): string | undefined {
  const forced = process.env.LOOKRIGHT_BLAS_CORETYPE;
  if (forced) {
    process.env.OPENBLAS_CORETYPE = forced;
    return forced;
  }
  const current = process.env.OPENBLAS_CORETYPE;
  if (current !== undefined && current !== '' && current !== 'Haswell') return current;
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return current;
  }
  if (!/^flags\s*:.*\bavx512f\b/m.test(cpuinfo)) return current;
  process.env.OPENBLAS_CORETYPE = 'SkylakeX';
  return 'SkylakeX';
}

/** OPENBLAS_THREAD_TIMEOUT set before OpenBLAS loads when the environment sets none: 2^16 cycles, ~25 µs at 2.6 GHz. */
export const BLAS_THREAD_TIMEOUT = 16;

/**
 * Shortens how long idle OpenBLAS workers busy-wait (OPENBLAS_THREAD_TIMEOUT, read once when the library loads)
 * unless the environment sets it. OpenBLAS's default is 2^28 cycles, about 0.1 s after every product, during which
 * its workers hold the cores the addon's own pool (element-wise kernels, attention, AdamW) needs between products.
 * Measured on a 2-core Xeon VM (bench:train's reference/full step, native on): 141-147 ms per step with the default,
 * 126-127 ms with 16, 130-134 with 4 (a worker then sleeps between back-to-back products). Bits are unaffected.
 * Returns the value in effect.
 */
export function chooseBlasThreadTimeout(): string {
  const current = process.env.OPENBLAS_THREAD_TIMEOUT;
  if (current !== undefined && current !== '') return current;
  process.env.OPENBLAS_THREAD_TIMEOUT = String(BLAS_THREAD_TIMEOUT);
  return process.env.OPENBLAS_THREAD_TIMEOUT;
}

/**
 * Every function of NativeAddon, by name (a Record, so a function added to the interface must be listed here): an
 * addon built from older sources lacks one and is refused, so pure tfjs runs instead of a call that would throw.
 */
type AddonFunction = {
  [K in keyof NativeAddon]: NativeAddon[K] extends (...args: never[]) => unknown ? K : never;
}[keyof NativeAddon];
const ADDON_FUNCTIONS: Record<AddonFunction, true> = {
  blasInfo: true,
  setBlasThreads: true,
  setKernelThreads: true,
  kernelThreads: true,
  gemm: true,
  gemmBf16: true,
  amxBf16Available: true,
  addScaledInto: true,
  binaryF32: true,
  columnSumF32: true,
  sumsOfSquares: true,
  dropoutApply: true,
  rmsNormForward: true,
  rmsNormBackward: true,
  swigluForward: true,
  swigluBackward: true,
  ropeSplitHeads: true,
  maskedSoftmaxForward: true,
  maskedSoftmaxBackward: true,
  attentionForward: true,
  attentionBackward: true,
  attentionExact: true,
  embeddingGather: true,
  embeddingScatterAdd: true,
  adamwUpdate: true,
};

/** The functions `addon` lacks, by name; empty for an addon built from the current sources. */
export function missingAddonFunctions(addon: Partial<Record<AddonFunction, unknown>>): string[] {
  return Object.keys(ADDON_FUNCTIONS).filter((name) => typeof addon[name as AddonFunction] !== 'function');
}

function loadFrom(file: string): AddonLoad {
  chooseBlasCoreType();
  chooseBlasThreadTimeout();
  if (!existsSync(file)) {
    return { ok: false, reason: `${file} was not built (the install script found no g++/libopenblas-dev)` };
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    const missing = missingAddonFunctions(addon);
    if (missing.length)
      return {
        ok: false,
        reason: `${file} was built from older sources (it lacks ${missing.join(', ')}); rebuild it with pnpm --filter @lookright/native build`,
      };
    return { ok: true, addon, path: file };
  } catch (err) {
    return { ok: false, reason: `loading ${file} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
