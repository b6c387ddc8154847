import { LookrightError } from '@lookright/core';

function list(values: readonly number[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** Every error the mask strategies raise, each naming the plugin and the param at fault. */
export const maskErrors = {
  badLayerCount: (id: string, numLayers: number) =>
    new LookrightError(
      'MASK_BAD_LAYER_COUNT',
      `${id}: the model reports ${numLayers} layers; a layer count must be a positive integer`,
      'This is a backbone problem: check num_hidden_layers in the checkpoint config.json.',
    ),
  groupsIndivisible: (id: string, pattern: string, numLayers: number, fitting: readonly number[]) =>
    new LookrightError(
      'MASK_GROUPS_INDIVISIBLE',
      `${id}: params.pattern "${pattern}" asks for ${pattern.length} equal groups, but ${numLayers} layers do not split into ${pattern.length} equal groups`,
      `Use a pattern of ${list(fitting)} characters (the group counts that divide ${numLayers}); a pattern of ${numLayers} characters sets each layer.`,
    ),
  badPattern: (id: string, pattern: string) =>
    new LookrightError(
      'MASK_BAD_PATTERN',
      `${id}: params.pattern ${JSON.stringify(pattern)} is not a string of 0s and 1s`,
      'Write one character per group, nearest the input first: 1 = bidirectional, 0 = causal (e.g. "0101").',
    ),
  badCount: (id: string, param: string, value: unknown) =>
    new LookrightError(
      'MASK_BAD_PARAM',
      `${id}: params.${param} is ${JSON.stringify(value)}; it must be an integer >= 0`,
      `Set params.${param} to a whole number of ${param === 'k' && id === 'mask:lookahead' ? 'tokens' : 'layers'}.`,
    ),
  countAboveLayers: (id: string, param: string, value: number, numLayers: number) =>
    new LookrightError(
      'MASK_K_TOO_LARGE',
      `${id}: params.${param} = ${value}, but the model has only ${numLayers} layers`,
      `Use a value from 0 to ${numLayers} (${numLayers} makes every layer bidirectional).`,
    ),
  badLayerList: (id: string, param: string, text: string, reason: string) =>
    new LookrightError(
      'MASK_BAD_LAYER_LIST',
      `${id}: params.${param} ${JSON.stringify(text)} is not a layer list: ${reason}`,
      'Write layer indices and inclusive ranges separated by commas, counting from 0 at the input, e.g. "0-7,24-31".',
    ),
  layerOutOfRange: (id: string, param: string, index: number, numLayers: number) =>
    new LookrightError(
      'MASK_LAYER_OUT_OF_RANGE',
      `${id}: params.${param} names layer ${index}, but the model has ${numLayers} layers (0 to ${numLayers - 1})`,
      `Use layer indices from 0 to ${numLayers - 1}.`,
    ),
  tooFewLayers: (id: string, numLayers: number, minimum: number) =>
    new LookrightError(
      'MASK_TOO_FEW_LAYERS',
      `${id}: needs at least ${minimum} layers, but the model has ${numLayers}`,
      'Choose the layers explicitly with mask:layers.',
    ),
  badMaskArgument: (text: string, reason: string) =>
    new LookrightError(
      'MASK_BAD_ARGUMENT',
      `--mask ${JSON.stringify(text)}: ${reason}`,
      'Write a 0/1 pattern (e.g. 0101), a mask id (e.g. mask:causal), or an id with params as JSON or key=value pairs (e.g. mask:first-k:k=2 or mask:lookahead:{"k":2}).',
    ),
};
