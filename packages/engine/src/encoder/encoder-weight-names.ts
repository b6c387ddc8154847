import type { EncoderConfig } from './encoder-config.js';
import { type EncoderProjectionName, encoderProjectionNames, encoderProjectionPath } from './encoder-params.js';

/** Expected name (without any `bert.` / `roberta.` prefix) and HF shape of every encoder tensor, pooler excluded. */
export function expectedEncoderTensors(cfg: EncoderConfig): Map<string, number[]> {
  const h = cfg.hiddenSize;
  const i = cfg.intermediateSize;
  const shapes: Record<EncoderProjectionName, [number, number]> = {
    query: [h, h],
    key: [h, h],
    value: [h, h],
    attention_output: [h, h],
    intermediate: [i, h],
    output: [h, i],
  };
  const out = new Map<string, number[]>([
    ['embeddings.word_embeddings.weight', [cfg.vocabSize, h]],
    ['embeddings.position_embeddings.weight', [cfg.maxPositionEmbeddings, h]],
    ['embeddings.token_type_embeddings.weight', [cfg.typeVocabSize, h]],
    ['embeddings.LayerNorm.weight', [h]],
    ['embeddings.LayerNorm.bias', [h]],
  ]);
  for (let layer = 0; layer < cfg.numLayers; layer++) {
    const base = `encoder.layer.${layer}`;
    for (const p of encoderProjectionNames) {
      out.set(`${base}.${encoderProjectionPath(p)}.weight`, shapes[p]);
      out.set(`${base}.${encoderProjectionPath(p)}.bias`, [shapes[p][0]]);
    }
    for (const norm of ['attention.output.LayerNorm', 'output.LayerNorm']) {
      out.set(`${base}.${norm}.weight`, [h]);
      out.set(`${base}.${norm}.bias`, [h]);
    }
  }
  return out;
}

/** The optional pooler's tensors (both or neither). */
export function expectedPoolerTensors(cfg: EncoderConfig): Map<string, number[]> {
  return new Map([
    ['pooler.dense.weight', [cfg.hiddenSize, cfg.hiddenSize]],
    ['pooler.dense.bias', [cfg.hiddenSize]],
  ]);
}
