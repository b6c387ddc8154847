import type {
  Backbone,
  DatasetSource,
  InputTransform,
  MaskStrategy,
  PluginContext,
  PluginRegistry,
} from '@lookright/core';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { trainErrors } from '../errors.js';
import type { HeadFactory } from '../heads/token-head.js';
import type { PluginSpec, TrainCellConfig } from './cell-config.js';

const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
const validators = new WeakMap<object, ValidateFunction>();

/** Validates params against the plugin's schema (defaults filled) and calls its `create`. */
async function createPlugin(registry: PluginRegistry, spec: PluginSpec, ctx: PluginContext): Promise<unknown> {
  const { descriptor } = registry.get(spec.id);
  let validate = validators.get(descriptor.paramsSchema);
  if (!validate) {
    validate = ajv.compile(descriptor.paramsSchema);
    validators.set(descriptor.paramsSchema, validate);
  }
  const params = structuredClone(spec.params ?? {});
  if (!validate(params)) {
    const [first] = validate.errors ?? [];
    throw trainErrors.cellInvalid(spec.id, `params${first?.instancePath ?? ''}`, first?.message ?? 'invalid');
  }
  return descriptor.create(params, ctx);
}

/** The plugins of a cell, created. */
export interface ResolvedCellPlugins {
  backbone: Backbone;
  mask: MaskStrategy;
  dataset: DatasetSource;
  head: HeadFactory;
  /** The cell's input transform; undefined when the config names none (the sentence as tokenized). */
  input?: InputTransform;
}

/** Creates backbone, mask, dataset, head (and input, when given) from their ids, checking each instance's shape. */
export async function resolveCellPlugins(
  config: TrainCellConfig,
  registry: PluginRegistry,
  ctx: PluginContext,
): Promise<ResolvedCellPlugins> {
  const backbone = (await createPlugin(registry, config.backbone, ctx)) as Backbone;
  if (typeof backbone?.modelDir !== 'string' || typeof backbone.checkMasks !== 'function')
    throw trainErrors.wrongPluginInstance(config.backbone.id, 'a Backbone');
  const mask = (await createPlugin(registry, config.mask, ctx)) as MaskStrategy;
  if (typeof mask?.layerSpecs !== 'function') throw trainErrors.wrongPluginInstance(config.mask.id, 'a MaskStrategy');
  const dataset = (await createPlugin(registry, config.dataset, ctx)) as DatasetSource;
  if (typeof dataset?.load !== 'function') throw trainErrors.wrongPluginInstance(config.dataset.id, 'a DatasetSource');
  const head = (await createPlugin(registry, config.head, ctx)) as HeadFactory;
  if (typeof head?.build !== 'function') throw trainErrors.wrongPluginInstance(config.head.id, 'a HeadFactory');
  if (!config.input) return { backbone, mask, dataset, head };
  const input = (await createPlugin(registry, config.input, ctx)) as InputTransform;
  if (typeof input?.apply !== 'function' || typeof input.expandedLength !== 'function')
    throw trainErrors.wrongPluginInstance(config.input.id, 'an InputTransform');
  return { backbone, mask, dataset, head, input };
}
