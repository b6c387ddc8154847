import type { DecoderConfig } from './decoder-config.js';
import { type ProjectionName, projectionNames, projectionPath } from './decoder-params.js';

/** Expected name (without any `model.` prefix) and HF shape of every decoder tensor, lm_head excluded. */
export function expectedDecoderTensors(cfg: DecoderConfig): Map<string, number[]> {
  const h = cfg.hiddenSize;
  const q = cfg.numHeads * cfg.headDim;
  const kv = cfg.numKvHeads * cfg.headDim;
  const i = cfg.intermediateSize;
  const shapes: Record<ProjectionName, [number, number]> = {
    q_proj: [q, h],
    k_proj: [kv, h],
    v_proj: [kv, h],
    o_proj: [h, q],
    gate_proj: [i, h],
    up_proj: [i, h],
    down_proj: [h, i],
  };
  const hasBias = (p: ProjectionName) => {
    if (p === 'o_proj') return cfg.outputBias;
    if (p === 'q_proj' || p === 'k_proj' || p === 'v_proj') return cfg.qkvBias;
    return cfg.mlpBias;
  };
  const out = new Map<string, number[]>([['embed_tokens.weight', [cfg.vocabSize, h]]]);
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    const base = `layers.${layer}`;
    out.set(`${base}.input_layernorm.weight`, [h]);
    out.set(`${base}.post_attention_layernorm.weight`, [h]);
    for (const p of projectionNames) {
      out.set(`${base}.${projectionPath(p)}.weight`, shapes[p]);
      if (hasBias(p)) out.set(`${base}.${projectionPath(p)}.bias`, [shapes[p][0]]);
    }
  }
  out.set('norm.weight', [h]);
  return out;
}
