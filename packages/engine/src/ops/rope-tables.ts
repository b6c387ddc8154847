/** RoPE settings from config.json (`rope_theta`, `rope_scaling`, head size). */
export interface RopeConfig {
  headDim: number;
  theta: number;
  scaling?: RopeScaling;
}

/** `rope_scaling` types backbone:llama supports. */
export type RopeScaling =
  | { type: 'linear'; factor: number }
  | {
      type: 'llama3';
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositionEmbeddings: number;
    };

/** Inverse frequencies [headDim / 2] in float32 steps, as transformers computes them, with any scaling applied. */
export function inverseFrequencies(cfg: RopeConfig): Float32Array {
  const half = cfg.headDim / 2;
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) {
    inv[i] = Math.fround(1 / Math.fround(cfg.theta ** Math.fround((2 * i) / cfg.headDim)));
  }
  const s = cfg.scaling;
  if (s?.type === 'linear') {
    // linear scaling divides positions by the factor; dividing the frequencies is the same angle
    for (let i = 0; i < half; i++) inv[i] = Math.fround(inv[i] / s.factor);
  } else if (s?.type === 'llama3') {
    const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
    const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
    for (let i = 0; i < half; i++) {
      const wavelen = (2 * Math.PI) / inv[i];
      if (wavelen > lowWavelen) inv[i] = inv[i] / s.factor;
      else if (wavelen >= highWavelen) {
        const smooth =
          (s.originalMaxPositionEmbeddings / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
        inv[i] = (1 - smooth) * (inv[i] / s.factor) + smooth * inv[i];
      }
    }
  }
  return inv;
}

/**
 * cos and signed sin tables [seqLen, headDim] for positions 0..seqLen-1, in transformers' half-split layout
 * (`rotate_half`). `sinSigned` holds -sin on the first half and +sin on the second, so that
 * rope(x) = x * cos + swapHalves(x) * sinSigned.
 */
export function ropeTables(cfg: RopeConfig, seqLen: number): { cos: Float32Array; sinSigned: Float32Array } {
  const inv = inverseFrequencies(cfg);
  const d = cfg.headDim;
  const half = d / 2;
  const cos = new Float32Array(seqLen * d);
  const sinSigned = new Float32Array(seqLen * d);
  for (let p = 0; p < seqLen; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * inv[i]);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * d + i] = c;
      cos[p * d + half + i] = c;
      sinSigned[p * d + i] = -s;
      sinSigned[p * d + half + i] = s;
    }
  }
  return { cos, sinSigned };
}
