import type { DecoderConfig } from '@lookright/engine';
import { BATCH, benchModels, decoderConfig, SEQ, VOCAB } from '../train-throughput/bench-config.js';

/** One model the GPU benchmark trains (LoRA r=64 on q, v: the paper's recipe), at batch × seq tokens. */
export interface GpuBenchConfig {
  name: 'reference' | 'large' | 'mistral-7b-layer';
  cfg: DecoderConfig;
  batch: number;
  seq: number;
}

/** One Mistral-7B decoder layer: hidden 4096, 32 heads on 8 K/V heads (GQA), FFN 14336, head dim 128. */
function mistralLayer(hidden: number, heads: number, kvHeads: number, inter: number, vocab: number): DecoderConfig {
  return {
    ...decoderConfig(benchModels.reference),
    family: 'mistral',
    vocabSize: vocab,
    hiddenSize: hidden,
    intermediateSize: inter,
    numLayers: 1,
    numHeads: heads,
    numKvHeads: kvHeads,
    headDim: hidden / heads,
    rmsNormEps: 1e-5,
    ropeTheta: 1e6,
  };
}

/** The full configs: the CPU benchmark's reference and large models (batch 16 × 64), and the 7B layer at 16 × 128. */
export function gpuBenchConfigs(): GpuBenchConfig[] {
  return [
    { name: 'reference', cfg: decoderConfig(benchModels.reference), batch: BATCH, seq: SEQ },
    { name: 'large', cfg: decoderConfig(benchModels.large), batch: BATCH, seq: SEQ },
    // a layer, not a model: a 1024-word vocabulary keeps the embedding out of the measurement
    { name: 'mistral-7b-layer', cfg: mistralLayer(4096, 32, 8, 14336, 1024), batch: 16, seq: 128 },
  ];
}

/**
 * `--smoke`: the same three configs shrunk for the software adapter (checks the harness, not the speed): 2 layers at
 * most, hidden 64 / 128, batch 2 × 16 tokens, the 7B layer's 4:1 grouped-query heads and 3.5x FFN kept.
 */
export function smokeConfigs(): GpuBenchConfig[] {
  const small = (hidden: number, heads: number): DecoderConfig => ({
    ...decoderConfig(benchModels.reference),
    vocabSize: Math.min(VOCAB, 256),
    hiddenSize: hidden,
    intermediateSize: (hidden * 11) / 4,
    numLayers: 2,
    numHeads: heads,
    numKvHeads: heads,
    headDim: hidden / heads,
  });
  return [
    { name: 'reference', cfg: small(64, 4), batch: 2, seq: 16 },
    { name: 'large', cfg: small(128, 8), batch: 2, seq: 16 },
    { name: 'mistral-7b-layer', cfg: mistralLayer(128, 8, 2, 448, 256), batch: 2, seq: 16 },
  ];
}
