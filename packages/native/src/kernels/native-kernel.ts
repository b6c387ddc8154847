import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import type { NativeAddon } from '../native-addon.js';

/**
 * A tfjs kernel implemented by the addon. `run` returns `null` for a case it does not
 * handle; the registry then calls the backend's original kernel of the same name.
 */
export interface NativeKernel {
  readonly kernelName: string;
  run(
    inputs: NamedTensorInfoMap,
    attrs: NamedAttrMap,
    mem: BackendMemory,
    addon: NativeAddon,
  ): TensorInfo | TensorInfo[] | null;
}

/** Reads a required tensor input, failing with the kernel and input name. */
export function input(inputs: NamedTensorInfoMap, name: string, kernel: string): TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`native kernel ${kernel}: missing input ${name}`);
  return t;
}

/** Reads a numeric attribute. */
export function numAttr(attrs: NamedAttrMap, name: string, kernel: string): number {
  const v = attrs[name];
  if (typeof v !== 'number') throw new Error(`native kernel ${kernel}: attribute ${name} must be a number`);
  return v;
}

/** Product of dims. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
