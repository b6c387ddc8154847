import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import { input, type NativeKernel, sizeOf } from './native-kernel.js';

export const SWIGLU = 'LookrightSwiglu';
export const SWIGLU_GRAD = 'LookrightSwigluGrad';

/** Views of gate and up: a fused gate|up tensor `gu` [..., 2I], or separate `gate`/`up` [..., I]. */
function gateUp(inputs: NamedTensorInfoMap, mem: BackendMemory, kernel: string) {
  const fused = inputs.gu;
  if (fused) {
    const inter = fused.shape[fused.shape.length - 1] / 2;
    const all = mem.f32(fused);
    return { lead: fused.shape.slice(0, -1), inter, stride: 2 * inter, gate: all, up: all.subarray(inter), fused };
  }
  const gate = input(inputs, 'gate', kernel);
  const inter = gate.shape[gate.shape.length - 1];
  const up = input(inputs, 'up', kernel);
  return {
    lead: gate.shape.slice(0, -1),
    inter,
    stride: inter,
    gate: mem.f32(gate),
    up: mem.f32(up),
    fused: undefined,
  };
}

/** (gu | gate, up) -> y [..., I] = silu(gate) * up. */
export const swigluKernel: NativeKernel = {
  kernelName: SWIGLU,
  run(inputs, _attrs, mem, addon) {
    const probe = inputs.gu ?? input(inputs, 'gate', SWIGLU);
    const inter = inputs.gu ? probe.shape[probe.shape.length - 1] / 2 : probe.shape[probe.shape.length - 1];
    const y = mem.alloc([...probe.shape.slice(0, -1), inter], 'float32');
    const v = gateUp(inputs, mem, SWIGLU);
    addon.swigluForward(v.gate, v.up, mem.f32(y), sizeOf(v.lead), v.inter, v.stride);
    return y;
  },
};

/** (gu | gate, up; dy) -> dgu, or [dGate, dUp]. */
export const swigluGradKernel: NativeKernel = {
  kernelName: SWIGLU_GRAD,
  run(inputs, _attrs, mem, addon) {
    const dy = input(inputs, 'dy', SWIGLU_GRAD);
    const outs: TensorInfo[] = inputs.gu
      ? [mem.alloc([...inputs.gu.shape], 'float32')]
      : [mem.alloc([...dy.shape], 'float32'), mem.alloc([...dy.shape], 'float32')];
    const v = gateUp(inputs, mem, SWIGLU_GRAD);
    const dGate = mem.f32(outs[0]);
    const dUp = outs.length === 1 ? dGate.subarray(v.inter) : mem.f32(outs[1]);
    addon.swigluBackward(v.gate, v.up, mem.f32(dy), dGate, dUp, sizeOf(v.lead), v.inter, v.stride);
    return outs.length === 1 ? outs[0] : outs;
  },
};
