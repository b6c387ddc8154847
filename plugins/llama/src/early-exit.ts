import { DecoderModel } from '@lookright/engine';

/**
 * The decoder cut after its first `layers` layers (early exit): the final norm follows layer `layers - 1`, and the
 * weights of the dropped layers are freed. Returns `model` itself when it keeps every layer.
 */
export function firstLayers(model: DecoderModel, layers: number): DecoderModel {
  if (layers >= model.numLayers) return model;
  for (const layer of model.params.layers.slice(layers)) {
    layer.inputNorm.dispose();
    layer.postNorm.dispose();
    for (const p of Object.values(layer.proj)) {
      p.kernel.dispose();
      p.bias?.dispose();
      if (p.lora) {
        p.lora.a.dispose();
        p.lora.b.dispose();
      }
    }
  }
  return new DecoderModel(
    { ...model.config, numLayers: layers },
    { ...model.params, layers: model.params.layers.slice(0, layers) },
    model.source,
  );
}
