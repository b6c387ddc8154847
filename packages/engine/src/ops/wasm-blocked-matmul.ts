import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
// registers wasm's kernels before wasmOwnBatchMatMul reads the registry, whichever module imported the backend first
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-wasm runs a rank-3 matMul with more than one batch entry through a scalar C++ loop (~2 GFLOP/s
 * measured), and a single [M, K] @ [K, N] product through XNNPACK (4-8x faster at attention's 64x64 shapes). The
 * loop sums the inner dimension in blocks of this many terms (its kBlockSize), each block from zero, and adds the
 * block sums to the output in order.
 */
const LOOP_BLOCK = 48;
/**
 * Per-entry multiply-adds below which the loop stays: tiny entries ([4, 7, 48] @ [4, 48, 5]) ran ~4x slower as
 * per-entry dispatches, 64x64x64 entries ~3.7x faster; this threshold sits between the two and is not tuned.
 */
const MIN_ENTRY_MACS = 1 << 15;
const SPLIT_KERNEL = 'LookrightWasmInnerBlocks';

/** wasm's own BatchMatMul (registered when tfjs-backend-wasm was imported, before any native kernel replaced it). */
export const wasmOwnBatchMatMul = tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc;

interface SplitAttrs {
  /** true: split a's columns (the inner dimension is last); false: split b's rows (it is second to last). */
  columns: boolean;
}

/**
 * x [n, r, c] -> for each batch entry i and each LOOP_BLOCK-wide block of the inner dimension, one 2-D tensor:
 * x[i, :, block] ([r, width]) when `columns`, else x[i, block, :] ([width, c]); entry-major order. One dispatch,
 * copied straight out of the wasm heap (tf.slice reads its whole input once per slice on wasm).
 */
function splitInnerBlocks(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) {
  const x = args.inputs.x as tf.TensorInfo;
  const backend = args.backend as BackendWasm;
  const { columns } = args.attrs as unknown as SplitAttrs;
  const [n, r, c] = x.shape;
  const inner = columns ? c : r;
  const outs: tf.TensorInfo[] = [];
  for (let i = 0; i < n; i++) {
    for (let k0 = 0; k0 < inner; k0 += LOOP_BLOCK) {
      const width = Math.min(LOOP_BLOCK, inner - k0);
      outs.push(backend.makeOutput(columns ? [r, width] : [width, c], 'float32'));
    }
  }
  // views only after every allocation: an allocation can grow the heap, which detaches earlier views
  const src = backend.typedArrayFromHeap(x);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const base = i * r * c;
    for (let k0 = 0; k0 < inner; k0 += LOOP_BLOCK) {
      const width = Math.min(LOOP_BLOCK, inner - k0);
      const dst = backend.typedArrayFromHeap(outs[o++]);
      if (!columns) dst.set(src.subarray(base + k0 * c, base + (k0 + width) * c));
      else {
        for (let row = 0, d = 0; row < r; row++) {
          const from = base + row * c + k0;
          for (let col = 0; col < width; col++) dst[d++] = src[from + col];
        }
      }
    }
  }
  return outs;
}

function innerBlocks(x: tf.Tensor, columns: boolean): tf.Tensor2D[] {
  if (!tf.getKernel(SPLIT_KERNEL, 'wasm')) {
    tf.registerKernel({ kernelName: SPLIT_KERNEL, backendName: 'wasm', kernelFunc: splitInnerBlocks });
  }
  const attrs: SplitAttrs = { columns };
  return tf.engine().runKernel(SPLIT_KERNEL, { x }, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor2D[];
}

/**
 * Whether a [..., M, K] @ [..., K, N] product (equal batch dims, no transpose flags) would run wasm's scalar
 * batched loop and is large enough for `wasmBlockedMatMul` to beat it. False on other backends, when another
 * BatchMatMul kernel (the native addon's) is installed, and for a single batch entry (wasm already uses XNNPACK).
 */
export function runsWasmBatchLoop(a: tf.Tensor, b: tf.Tensor): boolean {
  if (tf.getBackend() !== 'wasm' || tf.getKernel(tf.BatchMatMul, 'wasm')?.kernelFunc !== wasmOwnBatchMatMul)
    return false;
  if (a.rank < 3 || a.rank !== b.rank || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
  const lead = a.shape.slice(0, -2);
  if (lead.some((d, i) => d !== b.shape[i])) return false;
  const entries = lead.reduce((p, d) => p * d, 1);
  const [m, k] = a.shape.slice(-2);
  return entries > 1 && m * k * b.shape[b.rank - 1] >= MIN_ENTRY_MACS;
}

/**
 * a [..., M, K] @ b [..., K, N] (equal batch dims) on wasm, bit-identical to tf.matMul's batched loop there but
 * through XNNPACK: each batch entry's product is split into the loop's LOOP_BLOCK-wide inner blocks, each block a
 * 2-D matMul (XNNPACK sums its terms in order from zero, as the loop does within a block), and the block products
 * are added in order, as the loop adds its block sums. Callers check `runsWasmBatchLoop` first. No gradient.
 */
export function wasmBlockedMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.rank - 1];
  const lead = a.shape.slice(0, -2);
  const entries = lead.reduce((p, d) => p * d, 1);
  const blocks = Math.ceil(k / LOOP_BLOCK);
  return tf.tidy(() => {
    const as = innerBlocks(tf.reshape(a, [entries, m, k]), true);
    const bs = innerBlocks(tf.reshape(b, [entries, k, n]), false);
    // block j's products of every entry, stacked: one elementwise add per block instead of one per entry
    const blockProducts = (j: number) =>
      tf.concat(
        Array.from({ length: entries }, (_, e) => tf.matMul(as[e * blocks + j], bs[e * blocks + j])),
        0,
      );
    let sum = blockProducts(0);
    for (let j = 1; j < blocks; j++) sum = tf.add(sum, blockProducts(j));
    return tf.reshape(sum, [...lead, m, n]);
  });
}
