import type { PluginKind } from '../plugin-descriptor.js';
import type { Backbone } from './backbone.js';
import type { DatasetSource } from './dataset-source.js';
import type { Head } from './head.js';
import type { InputTransform } from './input-transform.js';
import type { MaskStrategy } from './mask-strategy.js';
import type { Tracker } from './tracker.js';

/**
 * What a plugin of each kind creates: `registry.create(kind, ...)` returns `PluginInstances[kind]`. Where an
 * instance type mentions what core cannot know, it is left open for declaration merging: `Backbone.load()` returns
 * `BackboneModel`, which @lookright/engine fills in (`declare module '@lookright/core' { interface BackboneModels
 * { ... } }`). A plugin may hand out a subtype (`LlamaBackbone extends Backbone`); callers see the contract.
 */
export interface PluginInstances {
  mask: MaskStrategy;
  backbone: Backbone;
  dataset: DatasetSource;
  head: Head;
  tracker: Tracker;
  input: InputTransform;
}

type MemberType = 'function' | 'string' | 'number';

/** The runtime shape of an extension point: its interface name and the members every instance must have. */
export interface InstanceContract {
  name: string;
  members: Readonly<Record<string, MemberType>>;
}

/** A small runtime shape check per extension point, run on every created instance. */
export const instanceContracts: Readonly<Record<PluginKind, InstanceContract>> = {
  mask: { name: 'MaskStrategy', members: { label: 'string', layerSpecs: 'function' } },
  backbone: {
    name: 'Backbone',
    members: {
      architecture: 'string',
      modelDir: 'string',
      numLayers: 'number',
      checkMasks: 'function',
      load: 'function',
    },
  },
  dataset: { name: 'DatasetSource', members: { load: 'function' } },
  head: { name: 'Head', members: { type: 'string', build: 'function' } },
  tracker: { name: 'Tracker', members: { name: 'string', deliver: 'function' } },
  input: {
    name: 'InputTransform',
    members: { label: 'string', context: 'string', expandedLength: 'function', apply: 'function' },
  },
};

/** What is missing for `value` to be a `kind` instance (e.g. `layerSpecs is not a function`), or null when it fits. */
export function contractViolation(kind: PluginKind, value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return `it is ${value === null ? 'null' : typeof value}`;
  for (const [member, type] of Object.entries(instanceContracts[kind].members)) {
    const found = typeof Reflect.get(value, member);
    if (found !== type) return `${member} is ${found === 'undefined' ? 'missing' : `a ${found}`}, not a ${type}`;
  }
  return null;
}

/** Whether `value` has the members of the `kind` extension point (see `instanceContracts`). */
export function fitsContract<K extends PluginKind>(kind: K, value: unknown): value is PluginInstances[K] {
  return contractViolation(kind, value) === null;
}
