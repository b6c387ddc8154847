import type { PluginKind } from '../plugin-descriptor.js';
import { Backbone } from './backbone.js';
import { DatasetSource } from './dataset-source.js';
import { Head } from './head.js';
import { InputTransform } from './input-transform.js';
import { MaskStrategy } from './mask-strategy.js';
import { Tracker } from './tracker.js';

export * from './backbone.js';
export * from './dataset-source.js';
export * from './head.js';
export * from './input-transform.js';
export * from './mask-spec.js';
export * from './mask-strategy.js';
export * from './tracker.js';

/** The service id bound for each plugin kind. */
export const serviceIdOf: Record<PluginKind, symbol> = {
  mask: MaskStrategy,
  backbone: Backbone,
  dataset: DatasetSource,
  head: Head,
  tracker: Tracker,
  input: InputTransform,
};
export * from './instance-contracts.js';
