import type { DecoderConfig } from '@lookright/engine';

/** What one benchmark step trains: LoRA pairs on some projections (rank r), or every weight. */
export type TrainedWeights = { kind: 'lora'; r: number; targets: readonly string[] } | { kind: 'full' };

/**
 * Model FLOPs of one training step (forward + backward; multiply-add = 2 FLOPs), the usual convention of model FLOPs
 * utilisation: every matmul of the decoder layers, attention's two batched products, LoRA and the head. Forward:
 * 2·T·(in·out) per projection, 4·B·heads·S²·d for attention. Backward: the input gradient of every matmul (as much
 * again), twice the forward attention, and a weight gradient (as much again) only for trained weights. Element-wise
 * ops, norms and softmax are not counted.
 */
export function trainingFlops(cfg: DecoderConfig, batch: number, seq: number, labels: number, w: TrainedWeights) {
  const { hiddenSize: h, intermediateSize: inter, numHeads, numKvHeads, headDim: d, numLayers } = cfg;
  const tokens = batch * seq;
  const shapes: Record<string, [number, number]> = {
    q_proj: [h, numHeads * d],
    k_proj: [h, numKvHeads * d],
    v_proj: [h, numKvHeads * d],
    o_proj: [numHeads * d, h],
    gate_proj: [h, inter],
    up_proj: [h, inter],
    down_proj: [inter, h],
  };
  const projection = Object.values(shapes).reduce((s, [i, o]) => s + i * o, 0);
  const projectionFlops = (w.kind === 'full' ? 6 : 4) * tokens * projection;
  const attentionFlops = 12 * batch * numHeads * seq * seq * d;
  let loraFlops = 0;
  if (w.kind === 'lora')
    for (const t of w.targets) {
      const [i, o] = shapes[t];
      loraFlops += 6 * tokens * w.r * (i + o);
    }
  const headFlops = 6 * tokens * h * labels;
  return numLayers * (projectionFlops + attentionFlops + loraFlops) + headFlops;
}
