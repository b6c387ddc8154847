import { gemm } from './batch-matmul.js';
import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const LINEAR_ADD = 'LookrightLinearAdd';

/**
 * addend + scale * (a @ b + bias) for 2-D float32 a [M, K], b [K, N], bias [N] (optional) and addend [M, N]:
 * one GEMM whose epilogue adds the product into the addend (a residual stream, a LoRA update's base projection).
 * The GEMM is the one `_FusedMatMul` runs; the epilogue rounds the multiply and the add separately, so the value
 * equals the tfjs ops add(addend, mul(fused.matMul(a, b, bias), scale)) bit for bit.
 */
export const linearAddKernel: NativeKernel = {
  kernelName: LINEAR_ADD,
  run(inputs, attrs, mem, addon) {
    const a = input(inputs, 'a', LINEAR_ADD);
    const b = input(inputs, 'b', LINEAR_ADD);
    const addend = input(inputs, 'addend', LINEAR_ADD);
    const scale = numAttr(attrs, 'scale', LINEAR_ADD);
    if (a.shape.length !== 2 || b.shape.length !== 2 || addend.dtype !== 'float32') return null;
    if (sizeOf(addend.shape) !== a.shape[0] * b.shape[1]) return null;
    const out = gemm(a, b, false, false, inputs.bias, mem, addon);
    if (out === null) return null;
    addon.addScaledInto(mem.f32(out), mem.f32(addend), scale);
    return out;
  },
};
