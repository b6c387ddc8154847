import { bidirectional, type LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkIdsInRange } from '../backend/check-ids.js';
import { encoderErrors, modelErrors } from '../errors.js';
import type { DropoutContext } from '../layers/projection.js';
import { project } from '../layers/projection.js';
import { setTrainableSlots } from '../layers/set-trainable.js';
import { MaskBuilder } from '../masks/attention-bias.js';
import { trainingOps } from '../ops/index.js';
import type { EncoderConfig } from './encoder-config.js';
import { type EncoderDropoutRates, encoderLayer, hiddenDropout } from './encoder-layer.js';
import { encoderParameterSlots } from './encoder-parameter-slots.js';
import type { EncoderParams } from './encoder-params.js';
import { layerNorm } from './layer-norm.js';
import { encoderPositionIds } from './position-ids.js';

/** Options of one encoder forward pass. */
export interface EncoderForwardOptions {
  /** Also return the embedding output and every layer's output. */
  outputLayers?: boolean;
  /** Also return the pooler output (needs pooler weights). */
  outputPooler?: boolean;
  /** Segment ids [B, S] int32; all zeros when absent (HF's default). */
  tokenTypeIds?: tf.Tensor2D;
  /** Training mode: LoRA, hidden and attention-probability dropout (config.json's rates) are applied. */
  training?: boolean;
  /** Seed of this pass's dropout masks (same seed = same masks). */
  seed?: number;
}

/** What a forward pass returns; all tensors belong to the caller. */
// a type alias (not an interface) so tf.tidy accepts it as a TensorContainer
export type EncoderOutput = {
  /** Output of the last layer [B, S, H] (HF's last_hidden_state). */
  lastHiddenState: tf.Tensor3D;
  /** Output of layer i [B, S, H] (HF hidden_states[i + 1]); empty unless outputLayers. */
  layerOutputs: tf.Tensor3D[];
  /** Embedding output after its LayerNorm [B, S, H] (HF hidden_states[0]); only with outputLayers. */
  embeddings?: tf.Tensor3D;
  /** tanh(dense(first token)) [B, H]; only with outputPooler. */
  pooledOutput?: tf.Tensor2D;
};

/**
 * A BERT / RoBERTa encoder on tfjs: absolute position embeddings (RoBERTa's start after the pad id), token type
 * embeddings, post-LayerNorm layers with exact GELU, and the optional pooler. Attention is always bidirectional
 * with padded keys blocked; `layerSpecs` exists so an encoder can stand where a decoder does, and must be null or
 * all bidirectional. Call dispose() to free weights and caches.
 */
export class EncoderModel {
  private readonly masks = new MaskBuilder();

  constructor(
    readonly config: EncoderConfig,
    readonly params: EncoderParams,
    /** The checkpoint folder or repo id, for messages. */
    readonly source: string,
  ) {
    this.dropoutRates = { hidden: config.hiddenDropoutProb, attentionProbs: config.attentionProbsDropoutProb };
  }

  /** config.json's dropout rates, applied in training mode only. */
  readonly dropoutRates: EncoderDropoutRates;

  get numLayers(): number {
    return this.config.numLayers;
  }

  get hasPooler(): boolean {
    return this.params.pooler !== undefined;
  }

  /**
   * Runs the encoder. `inputIds` and `attentionMask` are int32 [B, S] (mask 1 = real token). Inside
   * tf.variableGrads the trainable variables receive gradients.
   */
  forward(
    inputIds: tf.Tensor2D,
    attentionMask: tf.Tensor2D,
    layerSpecs: readonly LayerMaskSpec[] | null = null,
    options: EncoderForwardOptions = {},
  ): EncoderOutput {
    this.checkInputs(inputIds, attentionMask, layerSpecs, options.tokenTypeIds);
    if (options.outputPooler && !this.params.pooler) {
      throw modelErrors.inputsInvalid(this.source, 'the checkpoint has no pooler.dense weights, so no pooler output');
    }
    let seed = options.seed ?? 0;
    const dropout: DropoutContext = { training: options.training === true, nextSeed: () => seed++ };
    return tf.tidy(() => {
      const [bias] = this.masks.biases([bidirectional], attentionMask);
      const embeddings = this.embed(inputIds, options.tokenTypeIds, dropout);
      const layerOutputs: tf.Tensor3D[] = [];
      let h = embeddings;
      for (const layer of this.params.layers) {
        h = encoderLayer(h, layer, this.config, bias, dropout, this.dropoutRates);
        if (options.outputLayers) layerOutputs.push(h);
      }
      const out: EncoderOutput = { lastHiddenState: h, layerOutputs };
      if (options.outputLayers) out.embeddings = embeddings;
      if (options.outputPooler && this.params.pooler) {
        const first = tf.squeeze(tf.slice(h, [0, 0, 0], [-1, 1, -1]), [1]);
        out.pooledOutput = tf.tanh(project(first, this.params.pooler, dropout)) as tf.Tensor2D;
      }
      return out;
    });
  }

  /**
   * Runs encoder layer `layer` alone on hidden states [B, S, H] (its input), no dropout; `spec` must be
   * bidirectional. The mask audit uses it to observe each layer's attention in isolation. The result belongs to
   * the caller.
   */
  forwardLayer(layer: number, hidden: tf.Tensor3D, attentionMask: tf.Tensor2D, spec: LayerMaskSpec): tf.Tensor3D {
    const params = this.params.layers[layer];
    if (!params) throw modelErrors.inputsInvalid(this.source, `layer ${layer} is outside 0..${this.numLayers - 1}`);
    if (spec.kind !== 'bidirectional') throw encoderErrors.maskNotBidirectional(this.source, layer, spec.kind);
    return tf.tidy(() => {
      const [bias] = this.masks.biases([bidirectional], attentionMask);
      const dropout: DropoutContext = { training: false, nextSeed: () => 0 };
      return encoderLayer(hidden, params, this.config, bias, dropout, this.dropoutRates);
    });
  }

  /**
   * Turns the parameters whose HF name (no `bert.` / `roberta.` prefix, e.g.
   * `encoder.layer.0.attention.self.query.lora_A.weight`) passes `select` into trainable tf.Variables, and every
   * other one into a constant. Returns the trainable variables by name. Linear weights are held as [in, out].
   */
  setTrainable(select: (name: string) => boolean): Map<string, tf.Variable> {
    return setTrainableSlots(encoderParameterSlots(this.params), select, 'encoder');
  }

  /**
   * Frees the pooler and leaves the model without one, as transformers builds the encoder of
   * *ForTokenClassification (add_pooling_layer=False): token-level fine-tuning never uses it, so it must not be a
   * trainable parameter without a gradient.
   */
  dropPooler(): void {
    const pooler = this.params.pooler;
    if (!pooler) return;
    pooler.kernel.dispose();
    pooler.bias?.dispose();
    delete this.params.pooler;
  }

  /** Every parameter by HF name (no prefix), in the model's layout (linear weights [in, out]). */
  namedParameters(): Map<string, tf.Tensor> {
    return new Map(encoderParameterSlots(this.params).map((s) => [s.name, s.get()]));
  }

  /** Frees weights, adapters and the mask cache. */
  dispose(): void {
    for (const slot of encoderParameterSlots(this.params)) slot.get().dispose();
    this.masks.dispose();
  }

  /** word + position + token type embeddings, LayerNorm, hidden dropout (BertEmbeddings / RobertaEmbeddings). */
  private embed(ids: tf.Tensor2D, tokenTypeIds: tf.Tensor2D | undefined, dropout: DropoutContext): tf.Tensor3D {
    const { embedding } = trainingOps();
    const p = this.params;
    const types = tokenTypeIds ?? tf.zerosLike(ids);
    const sum = tf.addN([
      embedding(p.wordEmbeddings, ids),
      embedding(p.tokenTypeEmbeddings, types),
      embedding(p.positionEmbeddings, encoderPositionIds(this.config, ids)),
    ]);
    const normed = layerNorm(sum, p.embeddingNorm, this.config.layerNormEps);
    return hiddenDropout(normed, this.dropoutRates.hidden, dropout) as tf.Tensor3D;
  }

  private checkInputs(
    ids: tf.Tensor2D,
    mask: tf.Tensor2D,
    specs: readonly LayerMaskSpec[] | null,
    types: tf.Tensor2D | undefined,
  ): void {
    if (specs) {
      if (specs.length !== this.numLayers) throw modelErrors.maskSpecCount(this.source, this.numLayers, specs.length);
      const bad = specs.findIndex((s) => s.kind !== 'bidirectional');
      if (bad >= 0) throw encoderErrors.maskNotBidirectional(this.source, bad, specs[bad].kind);
    }
    const sameShape = (t: tf.Tensor) => t.rank === 2 && t.shape.every((d, i) => d === ids.shape[i]);
    if (ids.rank !== 2 || !sameShape(mask) || (types && !sameShape(types))) {
      throw modelErrors.inputsInvalid(
        this.source,
        `input_ids [${ids.shape}], attention_mask [${mask.shape}]${types ? ` and token_type_ids [${types.shape}]` : ''} must all be [batch, seq]`,
      );
    }
    for (const [name, t, limit] of [
      ['input_ids', ids, this.config.vocabSize],
      ['token_type_ids', types, this.config.typeVocabSize],
    ] as const) {
      if (!t) continue;
      if (t.dtype !== 'int32') throw modelErrors.inputsInvalid(this.source, `${name} has dtype ${t.dtype}, not int32`);
      checkIdsInRange(t, limit, (value, at) =>
        modelErrors.inputsInvalid(
          this.source,
          `${name} holds ${value ?? 'a value'}${at === undefined ? '' : ` at flat index ${at}`}, outside 0..${limit - 1}`,
        ),
      );
    }
    const seqLen = ids.shape[1];
    const needed = this.config.positionIds === 'arange' ? seqLen - 1 : this.config.padTokenId + seqLen;
    if (needed >= this.config.maxPositionEmbeddings) {
      throw encoderErrors.positionsExceeded(this.source, needed, this.config.maxPositionEmbeddings);
    }
  }
}
