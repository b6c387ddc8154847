import { LookrightError } from '@lookright/core';

/** The errors this plugin raises, each naming the plugin, the param and what to do. */
export const alternatingErrors = {
  badPeriod: (period: unknown) =>
    new LookrightError(
      'MASK_BAD_PARAM',
      `mask:alternating: params.period is ${JSON.stringify(period)}; it must be an integer >= 1`,
      'Set params.period to a whole number of layers.',
    ),
  periodTooLong: (period: number, numLayers: number) =>
    new LookrightError(
      'MASK_ALTERNATING_PERIOD',
      `mask:alternating: params.period = ${period}, but the model has only ${numLayers} layers, so nothing alternates`,
      `Use a period from 1 to ${Math.max(1, Math.floor(numLayers / 2))}, or mask:causal / mask:bidirectional for one kind everywhere.`,
    ),
};
