import { customGrad, engine, type GradSaveFunc, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { nativeKernelActive } from '../enable-native.js';
import { nativeErrors } from '../errors.js';

/** Runs a registered kernel by name and returns its outputs as an array. */
export function runKernel(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap = {}): Tensor[] {
  const out = engine().runKernel(name, inputs, attrs) as Tensor | Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** Throws NATIVE_NOT_ENABLED unless the kernel is registered on the current backend. */
export function requireKernel(name: string): void {
  if (!nativeKernelActive(name)) throw nativeErrors.notNative(`op ${name}`);
}

/**
 * A differentiable op over `inputs` (other tensors the op reads but does not differentiate,
 * e.g. ids, masks, rope tables, are captured by the closures). `forward` returns the value and
 * the tensors the gradient needs; `backward` returns one gradient per input.
 */
export function withGradient(
  inputs: Tensor[],
  forward: (xs: Tensor[]) => { value: Tensor; saved: Tensor[] },
  backward: (dy: Tensor, saved: Tensor[]) => Tensor[],
): Tensor {
  const f = customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const save = args[args.length - 1] as GradSaveFunc;
    const xs = args.slice(0, -1) as Tensor[];
    const { value, saved } = forward(xs);
    save(saved);
    return { value, gradFunc: (dy: Tensor, s: Tensor[]) => backward(dy, s) };
  });
  return f(...inputs);
}
