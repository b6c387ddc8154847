import type { LayerMaskSpec } from './mask-spec.js';

/** Service id under which mask-strategy plugin descriptors are bound. */
export const MaskStrategy = Symbol.for('lookright.MaskStrategy');

/** Decides, for every layer of a model, what that layer's attention may see. Never touches tensors. */
export interface MaskStrategy {
  /**
   * One spec per layer, index 0 nearest the input. Throws a LookrightError naming the param when the params do
   * not fit `numLayers` (e.g. 32 layers into 3 groups), listing the values that would fit.
   */
  layerSpecs(numLayers: number): LayerMaskSpec[];
  /** Short label for tables and MLflow tags, e.g. `groups:0101`. */
  readonly label: string;
}
