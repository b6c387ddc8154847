import type { BenchMode, BenchModel } from './bench-config.js';
import { BATCH, LABELS, LORA, SEQ } from './bench-config.js';

/**
 * Matmul FLOPs of one training step (forward + backward) of a benchmark row, counting 2·m·n·k per product. Forward:
 * q/k/v/o, gate/up/down, attention scores and weights·values, the head, and in LoRA mode x·A and (x·A)·B on each
 * target. Backward: twice the forward for a trained weight (input and weight gradients) and for both attention
 * products (both operands need their gradient); once for a frozen base weight in LoRA mode (input gradient only).
 * Embedding gathers, norms and element-wise ops are not matmuls and are left out.
 */
export function stepMatmulFlops(model: BenchModel, mode: BenchMode): number {
  const tokens = BATCH * SEQ;
  const { hidden: h, intermediate: inter, layers } = model;
  const linear = (inF: number, outF: number) => 2 * tokens * inF * outF;
  const projections = 4 * linear(h, h) + 3 * linear(h, inter);
  const attention = 2 * (2 * tokens * SEQ * h);
  const loraForward = mode === 'lora' ? LORA.targets.length * (linear(h, LORA.r) + linear(LORA.r, h)) : 0;
  const baseFactor = mode === 'full' ? 3 : 2;
  const perLayer = baseFactor * projections + 3 * attention + 3 * loraForward;
  return layers * perLayer + 3 * linear(h, LABELS);
}
