import { LookrightError } from '@lookright/core';

/** Every error backbone:llama raises itself (checkpoint and config errors come from @lookright/engine). */
export const llamaErrors = {
  layersAboveModel: (model: string, layers: number, numLayers: number) =>
    new LookrightError(
      'LLAMA_LAYERS_ABOVE_MODEL',
      `backbone:llama ${model}: params.layers = ${layers}, but the model has only ${numLayers} layers`,
      `Use a value from 1 to ${numLayers} (${numLayers} keeps every layer), or leave layers out.`,
    ),
};
