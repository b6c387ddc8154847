/**
 * The small part of tfjs-backend-webgpu 4.22's program interface lookright's own WGSL kernels use, and two program
 * shapes: one invocation per output element (`ElementwiseProgram`) and one workgroup per row of a [rows, cols]
 * matrix that sums over the row in workgroup memory (`ROW_WORKGROUP`, `rowReductionSnippet`). tfjs wraps the user
 * code: inputs are `array<f32>` buffers named by `variableNames`, the output is `result`, and shapes arrive as
 * `uniforms.<name>Shape` (`uniforms.outShape` for the output).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** What tfjs-backend-webgpu's runWebGPUProgram reads from a program. */
export interface WebgpuProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** Adds `uniforms.size` (the output's element count) for flat programs. */
  size?: boolean;
  /** Extra uniform fields, e.g. `seed : u32,`, filled from runProgram's `uniforms`. */
  uniforms?: string;
  getUserCode(): string;
}

/** A value for one field of `WebgpuProgram.uniforms`, in declaration order. */
export interface ProgramUniform {
  type: 'int32' | 'uint32' | 'float32';
  data: number[];
}

interface WebgpuBackendLike {
  runWebGPUProgram(
    program: WebgpuProgram,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: ProgramUniform[],
  ): tf.TensorInfo;
}

/** Runs `program` on the webgpu backend (one dispatch) and returns its float32 output. */
export function runProgram(
  backend: unknown,
  program: WebgpuProgram,
  inputs: tf.TensorInfo[],
  uniforms?: ProgramUniform[],
): tf.TensorInfo {
  return (backend as WebgpuBackendLike).runWebGPUProgram(program, inputs, 'float32', uniforms);
}

/** The same tensor data seen as another shape (no copy; tfjs looks buffers up by dataId). */
export function withShape(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/** A WGSL f32 literal for a number baked into a shader (it is part of the shader key, never re-uploaded). */
export function wgslFloat(v: number): string {
  return `${v.toExponential()}f`;
}

const FLAT_WORKGROUP = 64;

/**
 * One invocation per element of `outputShape`; `body` sees `index` (< uniforms.size) and writes `result[index]`.
 * tfjs folds a dispatch over the device's workgroups-per-dimension limit into two dimensions and `index` follows.
 */
export class ElementwiseProgram implements WebgpuProgram {
  size = true;
  workgroupSize: [number, number, number] = [FLAT_WORKGROUP, 1, 1];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(
    readonly variableNames: string[],
    readonly outputShape: number[],
    readonly shaderKey: string,
    private readonly body: string,
    private readonly helpers = '',
    readonly uniforms?: string,
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const size = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(size / FLAT_WORKGROUP), 1, 1];
  }

  getUserCode(): string {
    return `
  ${this.helpers}
  fn main(index : i32) {
    if (index < uniforms.size) {
      ${this.body}
    }
  }`;
  }
}

/** Invocations per workgroup of a row program: a power of two (the tree sum halves it). */
export const ROW_WORKGROUP = 64;

/**
 * WGSL for row programs: `rowIndex()` (one workgroup per row, robust to tfjs folding the dispatch into two
 * dimensions), `workgroupSum(v)` and `workgroupMax(v)`, the sum and the largest of `v` over the workgroup by a tree in
 * workgroup memory. Every invocation must call them (they have barriers): guard reads and writes, never the call.
 */
export const rowReductionSnippet = `
  var<workgroup> partialSums : array<f32, ${ROW_WORKGROUP}>;
  fn rowIndex() -> i32 {
    return i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
  }
  fn workgroupSum(v : f32) -> f32 {
    partialSums[localIndex] = v;
    workgroupBarrier();
    for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
      if (localIndex < s) { partialSums[localIndex] = partialSums[localIndex] + partialSums[localIndex + s]; }
      workgroupBarrier();
    }
    let total = partialSums[0];
    workgroupBarrier();
    return total;
  }
  fn workgroupMax(v : f32) -> f32 {
    partialSums[localIndex] = v;
    workgroupBarrier();
    for (var s = ${ROW_WORKGROUP / 2}u; s > 0u; s = s >> 1u) {
      if (localIndex < s) { partialSums[localIndex] = max(partialSums[localIndex], partialSums[localIndex + s]); }
      workgroupBarrier();
    }
    let largest = partialSums[0];
    workgroupBarrier();
    return largest;
  }`;

/**
 * A program with one workgroup of ROW_WORKGROUP invocations per row; `body` is main's code (tfjs passes main a flat
 * index, unused: `row` and `lane` locate the invocation).
 */
export class RowProgram implements WebgpuProgram {
  workgroupSize: [number, number, number] = [ROW_WORKGROUP, 1, 1];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];

  constructor(
    readonly variableNames: string[],
    readonly outputShape: number[],
    rows: number,
    readonly shaderKey: string,
    private readonly body: string,
  ) {
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [rows, 1, 1];
  }

  getUserCode(): string {
    return `
  ${rowReductionSnippet}
  fn main(flatIndex : i32) {
    let row = rowIndex();
    let lane = i32(localIndex);
    ${this.body}
  }`;
  }
}
