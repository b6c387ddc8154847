import type { ModelSizes } from '@lookright/core';
import { modelSizePresets } from '@lookright/engine';

/** Sizes of the from-scratch models. Encoder and decoder variants of one size have the same parameter count. */
export interface ArchitectureSize extends ModelSizes {
  vocabSize: number;
}

/** The engine's named sizes with the pre-training vocabulary: `tiny` has a 1,024-symbol byte-level BPE. */
export const architectureSizes = {
  tiny: { ...modelSizePresets.tiny, vocabSize: 1024 },
  micro: { ...modelSizePresets.micro, vocabSize: 512 },
} as const satisfies Record<string, ArchitectureSize>;

export type SizeName = keyof typeof architectureSizes;

/** HF config.json of a Llama decoder of this size (tied embeddings, no biases, SwiGLU, RoPE). */
export function llamaConfigJson(size: ArchitectureSize, tokens: { eos: number; pad: number }): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: size.vocabSize,
    hidden_size: size.hiddenSize,
    intermediate_size: size.intermediateSize,
    num_hidden_layers: size.layers,
    num_attention_heads: size.heads,
    num_key_value_heads: size.kvHeads ?? size.heads,
    head_dim: size.hiddenSize / size.heads,
    max_position_embeddings: size.maxPositions,
    rms_norm_eps: 1e-5,
    rope_theta: 10000.0,
    rope_scaling: null,
    hidden_act: 'silu',
    tie_word_embeddings: true,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: tokens.eos,
    eos_token_id: tokens.eos,
    pad_token_id: tokens.pad,
    initializer_range: 0.02,
    torch_dtype: 'float32',
  };
}

/** HF tensor names and shapes ([out, in] for linear weights) of a Llama decoder of this size. */
export function llamaTensorShapes(size: ArchitectureSize): Map<string, number[]> {
  const h = size.hiddenSize;
  const kv = ((size.kvHeads ?? size.heads) * h) / size.heads;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [size.vocabSize, h]]]);
  for (let i = 0; i < size.layers; i++) {
    const p = `model.layers.${i}`;
    for (const proj of ['q_proj', 'k_proj', 'v_proj', 'o_proj'])
      shapes.set(`${p}.self_attn.${proj}.weight`, [proj === 'k_proj' || proj === 'v_proj' ? kv : h, h]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [size.intermediateSize, h]);
    shapes.set(`${p}.mlp.up_proj.weight`, [size.intermediateSize, h]);
    shapes.set(`${p}.mlp.down_proj.weight`, [h, size.intermediateSize]);
    shapes.set(`${p}.input_layernorm.weight`, [h]);
    shapes.set(`${p}.post_attention_layernorm.weight`, [h]);
  }
  shapes.set('model.norm.weight', [h]);
  return shapes;
}

export function parameterCount(shapes: ReadonlyMap<string, number[]>): number {
  let n = 0;
  for (const s of shapes.values()) n += s.reduce((a, b) => a * b, 1);
  return n;
}
