import type { LayerMaskSpec } from '@lookright/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { DecoderForwardOptions, DecoderOutput } from '../decoder/decoder-model.js';

/**
 * What the mask audit needs from a model: the whole forward pass (to check padding and how specs reach the
 * layers) and one layer on given hidden states (to observe each layer's mask on its own). DecoderModel has both.
 */
export interface MaskAuditTarget {
  readonly numLayers: number;
  readonly config: { readonly vocabSize: number; readonly slidingWindow?: number };
  forward(
    inputIds: tf.Tensor2D,
    attentionMask: tf.Tensor2D,
    layerSpecs: readonly LayerMaskSpec[],
    options?: DecoderForwardOptions,
  ): DecoderOutput;
  forwardLayer(layer: number, hidden: tf.Tensor3D, attentionMask: tf.Tensor2D, spec: LayerMaskSpec): tf.Tensor3D;
}
