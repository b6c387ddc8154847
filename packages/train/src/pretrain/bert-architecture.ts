import { type ArchitectureSize, llamaTensorShapes, parameterCount } from './architecture.js';

/** HF names and shapes of a BERT masked-LM checkpoint (`bert.` backbone + `cls.predictions` head, decoder tied). */
export function bertTensorShapes(size: ArchitectureSize, intermediate: number): Map<string, number[]> {
  const h = size.hiddenSize;
  const shapes = new Map<string, number[]>([
    ['bert.embeddings.word_embeddings.weight', [size.vocabSize, h]],
    ['bert.embeddings.position_embeddings.weight', [size.maxPositions, h]],
    ['bert.embeddings.token_type_embeddings.weight', [1, h]],
    ['bert.embeddings.LayerNorm.weight', [h]],
    ['bert.embeddings.LayerNorm.bias', [h]],
  ]);
  for (let i = 0; i < size.layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    const linear = (name: string, out: number, inp: number) => {
      shapes.set(`${p}.${name}.weight`, [out, inp]);
      shapes.set(`${p}.${name}.bias`, [out]);
    };
    for (const q of ['query', 'key', 'value']) linear(`attention.self.${q}`, h, h);
    linear('attention.output.dense', h, h);
    linear('intermediate.dense', intermediate, h);
    linear('output.dense', h, intermediate);
    for (const norm of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      shapes.set(`${p}.${norm}.weight`, [h]);
      shapes.set(`${p}.${norm}.bias`, [h]);
    }
  }
  shapes.set('cls.predictions.transform.dense.weight', [h, h]);
  shapes.set('cls.predictions.transform.dense.bias', [h]);
  shapes.set('cls.predictions.transform.LayerNorm.weight', [h]);
  shapes.set('cls.predictions.transform.LayerNorm.bias', [h]);
  shapes.set('cls.predictions.bias', [size.vocabSize]);
  return shapes;
}

/**
 * The feed-forward width that gives the BERT variant (with its MLM head) the parameter count of the Llama variant of
 * the same size (whose LM head is tied), so the encoder-decoder comparison is at equal size.
 */
export function matchingIntermediateSize(size: ArchitectureSize): number {
  const target = parameterCount(llamaTensorShapes(size));
  const without = parameterCount(bertTensorShapes(size, 0));
  return Math.max(1, Math.round((target - without) / (size.layers * (2 * size.hiddenSize + 1))));
}

/** HF config.json of a BERT masked LM of this size. */
export function bertConfigJson(size: ArchitectureSize, intermediate: number, pad: number): Record<string, unknown> {
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    vocab_size: size.vocabSize,
    hidden_size: size.hiddenSize,
    num_hidden_layers: size.layers,
    num_attention_heads: size.heads,
    intermediate_size: intermediate,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    attention_probs_dropout_prob: 0.1,
    max_position_embeddings: size.maxPositions,
    type_vocab_size: 1,
    layer_norm_eps: 1e-12,
    pad_token_id: pad,
    position_embedding_type: 'absolute',
    tie_word_embeddings: true,
    initializer_range: 0.02,
    torch_dtype: 'float32',
  };
}
