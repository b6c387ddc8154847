import type { BenchMode, BenchModel } from './bench-config.js';
import { BATCH, LABELS, LORA, SEQ } from './bench-config.js';

/**
 * Matmul FLOPs one training step (forward + backward) of a benchmark row needs, counting 2·m·n·k per product: the
 * work a FLOP-bound step could not avoid. Forward: q/k/v/o, gate/up/down, attention scores and weights·values, the
 * head, and in LoRA mode x·A and (x·A)·B on each target. Backward: twice the forward for a trained weight (input
 * and weight gradients) and for both attention products (both operands need their gradient); once for a frozen
 * base weight in LoRA mode (input gradient only). In LoRA mode no gradient flows into the first layer's input (it
 * comes from the frozen embedding), so its q/k/v base products and x·A products need no input gradient, and
 * without a LoRA pair on k the scores' key gradient is not needed either (PyTorch's autograd skips them; lookright's
 * custom-gradient linear still computes that x·A input gradient). Embedding gathers, norms and element-wise ops
 * are not matmuls and are left out.
 */
export function stepMatmulFlops(model: BenchModel, mode: BenchMode): number {
  const tokens = BATCH * SEQ;
  const { hidden: h, intermediate: inter, layers } = model;
  const linear = (inF: number, outF: number) => 2 * tokens * inF * outF;
  const projections = 4 * linear(h, h) + 3 * linear(h, inter);
  const attentionProduct = 2 * tokens * SEQ * h;
  const head = 3 * linear(h, LABELS);
  if (mode === 'full') return layers * (3 * projections + 3 * 2 * attentionProduct) + head;
  const targets: readonly string[] = LORA.targets;
  const loraForward = targets.length * (linear(h, LORA.r) + linear(LORA.r, h));
  const perLayer = 2 * projections + 3 * 2 * attentionProduct + 3 * loraForward;
  const firstLayerSkipped =
    3 * linear(h, h) + targets.length * linear(h, LORA.r) + (targets.includes('k') ? 0 : attentionProduct);
  return layers * perLayer - firstLayerSkipped + head;
}
