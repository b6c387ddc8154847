import type { DecoderConfig } from '@lookright/engine';

/** A benchmark model size (issue 4 part 7 / issue 5). */
export interface BenchModel {
  name: 'reference' | 'large';
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
}

export const benchModels: Record<BenchModel['name'], BenchModel> = {
  reference: { name: 'reference', hidden: 256, layers: 4, heads: 4, kvHeads: 4, intermediate: 688 },
  large: { name: 'large', hidden: 512, layers: 8, heads: 8, kvHeads: 8, intermediate: 1376 },
};

/** Fixed for every model: vocabulary, batch, sequence length, label count. */
export const VOCAB = 8000;
export const BATCH = 16;
export const SEQ = 64;
export const LABELS = 9;

/** Training modes: every parameter, or the paper's LoRA recipe (r=64, alpha 16, dropout 0.1 on q and v). */
export type BenchMode = 'full' | 'lora';
export const LORA = { r: 64, alpha: 16, dropout: 0.1, targets: ['q' as const, 'v' as const] };

/**
 * The trainer's settings the step runs with (the PyTorch reference uses the same): AdamW (decay on matrices only),
 * constant learning rate, global-norm clipping at 1 and head dropout 0.1 (the recipe's defaults), no accumulation.
 */
export const STEP = {
  lr: 2e-4,
  betas: [0.9, 0.95] as const,
  eps: 1e-5,
  weightDecay: 0.1,
  clipNorm: 1,
  headDropout: 0.1,
};

export function decoderConfig(m: BenchModel): DecoderConfig {
  return {
    family: 'llama',
    vocabSize: VOCAB,
    hiddenSize: m.hidden,
    intermediateSize: m.intermediate,
    numLayers: m.layers,
    numHeads: m.heads,
    numKvHeads: m.kvHeads,
    headDim: m.hidden / m.heads,
    rmsNormEps: 1e-6,
    ropeTheta: 10000,
    tieWordEmbeddings: false,
    qkvBias: false,
    outputBias: false,
    mlpBias: false,
  };
}

/**
 * Matmul precisions a row can run at: f32, or bf16 (both matmul inputs rounded to bfloat16, float32 accumulation;
 * lookright's native kernels with `--matmul-precision bf16`, PyTorch under CPU autocast with bfloat16).
 */
export const MATMUL_PRECISIONS = ['f32', 'bf16'] as const;
export type MatmulPrecision = (typeof MATMUL_PRECISIONS)[number];

/** `--matmul f32,bf16` as a list of precisions; throws naming the option for an empty list or an unknown name. */
export function parseMatmulPrecisions(value: string): MatmulPrecision[] {
  const names = value.split(',').filter(Boolean);
  const unknown = names.filter((p) => !(MATMUL_PRECISIONS as readonly string[]).includes(p));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--matmul ${value}: takes a list of ${MATMUL_PRECISIONS.join(', ')} (e.g. --matmul f32,bf16)`);
  }
  return names as MatmulPrecision[];
}
