import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkIdsInRange } from '../backend/check-ids.js';
import { modelErrors } from '../errors.js';
import type { DropoutContext } from '../layers/projection.js';
import { setTrainableSlots } from '../layers/set-trainable.js';
import { MaskBuilder } from '../masks/attention-bias.js';
import { trainingOps } from '../ops/index.js';
import { linear16 } from '../ops/linear-16.js';
import { isPackedKernel } from '../ops/packed-kernel.js';
import { ropeTables } from '../ops/rope-tables.js';
import type { DecoderConfig } from './decoder-config.js';
import { decoderLayer, type RopeTensors } from './decoder-layer.js';
import { parameterSlots } from './decoder-parameter-slots.js';
import type { DecoderParams } from './decoder-params.js';

/** Options of one forward pass. */
export interface DecoderForwardOptions {
  /** Also return the embedding output and every layer's output (before the final norm). */
  outputLayers?: boolean;
  /** Also return logits (needs lm_head.weight or tied embeddings). */
  outputLogits?: boolean;
  /** Training mode: LoRA dropout is applied. */
  training?: boolean;
  /** Seed of this pass's dropout masks (same seed = same masks). */
  seed?: number;
}

/** What a forward pass returns; all tensors belong to the caller. */
export interface DecoderOutput {
  /** Final-norm output [B, S, H] (HF's last_hidden_state). */
  lastHiddenState: tf.Tensor3D;
  /** Output of decoder layer i [B, S, H], before the final norm; empty unless outputLayers. */
  layerOutputs: tf.Tensor3D[];
  /** Token embeddings [B, S, H] (HF hidden_states[0]); only with outputLayers. */
  embeddings?: tf.Tensor3D;
  /** [B, S, vocab]; only with outputLogits. */
  logits?: tf.Tensor3D;
}

/**
 * A Llama / Mistral / Qwen2 decoder on tfjs. Each layer takes its own mask spec; the mask builder caches each
 * distinct spec per sequence length, and RoPE tables are cached per sequence length. Position ids are 0..S-1
 * (right padding). Call dispose() to free weights and caches.
 */
export class DecoderModel {
  private readonly masks: MaskBuilder;
  private readonly ropeCache = new Map<number, RopeTensors>();

  constructor(
    readonly config: DecoderConfig,
    readonly params: DecoderParams,
    /** The checkpoint folder or repo id, for messages. */
    readonly source: string,
    /** The builder of attention biases; the default honours the model's sliding window. */
    masks?: MaskBuilder,
  ) {
    this.masks = masks ?? new MaskBuilder({ slidingWindow: config.slidingWindow });
  }

  get numLayers(): number {
    return this.config.numLayers;
  }

  /** Whether logits can be computed (lm_head present or embeddings tied). */
  get hasLmHead(): boolean {
    return this.params.lmHead !== undefined || this.config.tieWordEmbeddings;
  }

  /**
   * Runs the decoder. `inputIds` and `attentionMask` are int32 [B, S] (mask 1 = real token); `layerSpecs` holds
   * one mask spec per layer. Inside tf.variableGrads the trainable variables receive gradients.
   */
  forward(
    inputIds: tf.Tensor2D,
    attentionMask: tf.Tensor2D,
    layerSpecs: readonly LayerMaskSpec[],
    options: DecoderForwardOptions = {},
  ): DecoderOutput {
    this.checkInputs(inputIds, attentionMask, layerSpecs);
    if (options.outputLogits && !this.hasLmHead) throw modelErrors.noLmHead(this.source);
    let seed = options.seed ?? 0;
    const dropout: DropoutContext = { training: options.training === true, nextSeed: () => seed++ };
    const run = (): DecoderOutput => {
      const [, seqLen] = inputIds.shape;
      const biases = this.masks.biases(layerSpecs, attentionMask);
      const rope = this.rope(seqLen);
      const embeddings = trainingOps().embedding(this.params.embed, inputIds) as tf.Tensor3D;
      const layerOutputs: tf.Tensor3D[] = [];
      let h = embeddings;
      this.params.layers.forEach((layer, i) => {
        h = decoderLayer(h, layer, this.config, rope, biases[i], dropout);
        if (options.outputLayers) layerOutputs.push(h);
      });
      const lastHiddenState = trainingOps().rmsNorm(h, this.params.norm, this.config.rmsNormEps) as tf.Tensor3D;
      const out: DecoderOutput = { lastHiddenState, layerOutputs };
      if (options.outputLayers) out.embeddings = embeddings;
      if (options.outputLogits) out.logits = this.logits(lastHiddenState);
      return out;
    };
    // tf.tidy keeps every tensor reachable from the returned object and disposes the rest
    return tf.tidy(run as unknown as () => tf.TensorContainer) as unknown as DecoderOutput;
  }

  /**
   * Runs decoder layer `layer` alone on hidden states [B, S, H] (its input) with one mask spec, through the same
   * mask builder and RoPE tables as forward(); no dropout. The mask audit uses it to observe each layer's mask in
   * isolation. The result belongs to the caller.
   */
  forwardLayer(layer: number, hidden: tf.Tensor3D, attentionMask: tf.Tensor2D, spec: LayerMaskSpec): tf.Tensor3D {
    const params = this.params.layers[layer];
    if (!params) throw modelErrors.inputsInvalid(this.source, `layer ${layer} is outside 0..${this.numLayers - 1}`);
    return tf.tidy(() => {
      const [bias] = this.masks.biases([spec], attentionMask);
      const dropout: DropoutContext = { training: false, nextSeed: () => 0 };
      return decoderLayer(hidden, params, this.config, this.rope(hidden.shape[1]), bias, dropout);
    });
  }

  /** Logits [B, S, vocab] from final-norm hidden states. */
  logits(hidden: tf.Tensor3D): tf.Tensor3D {
    const { linear, linearTransposed } = trainingOps();
    const head = this.params.lmHead?.kernel;
    if (head) return (isPackedKernel(head) ? linear16(hidden, head) : linear(hidden, head)) as tf.Tensor3D;
    if (!this.config.tieWordEmbeddings) throw modelErrors.noLmHead(this.source);
    // tied: the [vocab, hidden] table itself, so a trainable table gets the head's gradient too
    return linearTransposed(hidden, this.params.embed) as tf.Tensor3D;
  }

  /**
   * Turns the parameters whose HF name (no `model.` prefix, e.g. `layers.0.self_attn.q_proj.weight`,
   * `layers.0.self_attn.q_proj.lora_A.weight`) passes `select` into trainable tf.Variables, and every other one
   * into a constant. Returns the trainable variables by name. Linear weights are held transposed ([in, out]).
   */
  setTrainable(select: (name: string) => boolean): Map<string, tf.Variable> {
    return setTrainableSlots(parameterSlots(this.params), select, '');
  }

  /** Every parameter by HF name (no prefix), in the model's layout (linear weights [in, out]). */
  namedParameters(): Map<string, tf.Tensor> {
    return new Map(parameterSlots(this.params).map((s) => [s.name, s.get()]));
  }

  /** Frees weights, adapters and caches. */
  dispose(): void {
    for (const slot of parameterSlots(this.params)) slot.get().dispose();
    this.masks.dispose();
    for (const t of this.ropeCache.values()) tf.dispose([t.cos, t.sinSigned]);
    this.ropeCache.clear();
  }

  private rope(seqLen: number): RopeTensors {
    const hit = this.ropeCache.get(seqLen);
    if (hit) return hit;
    const { headDim, ropeTheta, ropeScaling } = this.config;
    const { cos, sinSigned } = ropeTables({ headDim, theta: ropeTheta, scaling: ropeScaling }, seqLen);
    const made = {
      cos: tf.keep(tf.tensor3d(cos, [seqLen, 1, headDim])),
      sinSigned: tf.keep(tf.tensor3d(sinSigned, [seqLen, 1, headDim])),
    };
    if (this.ropeCache.size >= 16) {
      const [oldKey, old] = this.ropeCache.entries().next().value as [number, RopeTensors];
      this.ropeCache.delete(oldKey);
      tf.dispose([old.cos, old.sinSigned]);
    }
    this.ropeCache.set(seqLen, made);
    return made;
  }

  private checkInputs(ids: tf.Tensor2D, mask: tf.Tensor2D, specs: readonly LayerMaskSpec[]): void {
    if (specs.length !== this.config.numLayers) {
      throw modelErrors.maskSpecCount(this.source, this.config.numLayers, specs.length);
    }
    if (ids.rank !== 2 || mask.rank !== 2 || ids.shape.some((d, i) => d !== mask.shape[i])) {
      throw modelErrors.inputsInvalid(
        this.source,
        `input_ids [${ids.shape}] and attention_mask [${mask.shape}] must both be [batch, seq]`,
      );
    }
    if (ids.dtype !== 'int32')
      throw modelErrors.inputsInvalid(this.source, `input_ids has dtype ${ids.dtype}, not int32`);
    checkIdsInRange(ids, this.config.vocabSize, (value, i) =>
      modelErrors.inputsInvalid(
        this.source,
        `input_ids holds ${value ?? 'a value'}${i === undefined ? '' : ` at flat index ${i}`}, outside 0..${this.config.vocabSize - 1}`,
      ),
    );
  }
}
