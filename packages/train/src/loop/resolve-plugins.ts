import type {
  Backbone,
  DatasetSource,
  Head,
  InputTransform,
  MaskStrategy,
  PluginContext,
  PluginKind,
  PluginRegistry,
} from '@lookright/core';
import { trainErrors } from '../errors.js';
import type { PluginSpec, TrainCellConfig } from './cell-config.js';

/** The first params problem reported as the cell config's own error, naming the plugin and the key. */
const invalidParams =
  (spec: PluginSpec) =>
  ([first]: readonly { path: string; message: string }[]) =>
    trainErrors.cellInvalid(spec.id, `params${first?.path ?? ''}`, first?.message ?? 'invalid');

/** The plugins of a cell, created. */
export interface ResolvedCellPlugins {
  backbone: Backbone;
  mask: MaskStrategy;
  dataset: DatasetSource;
  head: Head;
  /** The cell's input transform; undefined when the config names none (the sentence as tokenized). */
  input?: InputTransform;
}

/**
 * Creates backbone, mask, dataset, head (and input, when given) from their ids through the registry (params,
 * errors, contracts).
 */
export async function resolveCellPlugins(
  config: TrainCellConfig,
  registry: PluginRegistry,
  ctx: PluginContext,
): Promise<ResolvedCellPlugins> {
  const create = <K extends PluginKind>(kind: K, spec: PluginSpec) =>
    registry.create(kind, spec, ctx, { invalidParams: invalidParams(spec) });
  const backbone = await create('backbone', config.backbone);
  const mask = await create('mask', config.mask);
  const dataset = await create('dataset', config.dataset);
  const head = await create('head', config.head);
  if (!config.input) return { backbone, mask, dataset, head };
  const input = await create('input', config.input);
  return { backbone, mask, dataset, head, input };
}
