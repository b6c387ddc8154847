import type { PluginKind } from '../plugin-descriptor.js';
import type { PluginRegistry } from '../plugin-registry.js';
import { suiteSchema } from './suite-schema.js';
import { defaultRefs } from './suite-shorthand.js';

/** `$defs` key holding one plugin's params schema. */
export const paramsDefName = (id: string) => `params:${id}`;

/** A reference closed over the installed plugins of one kind: known ids, and each id's params schema. */
function pluginRefSchema(registry: PluginRegistry, kind: PluginKind): object {
  const ids = registry.of(kind).ids();
  const open = suiteSchema.properties.axes.properties.backbone.items;
  return {
    ...open,
    properties: { ...open.properties, id: ids.length ? { enum: ids } : { not: {} } },
    ...(ids.length > 0 && {
      allOf: ids.map((id) => ({
        if: { properties: { id: { const: id } }, required: ['id'] },
        then: { properties: { params: { $ref: `#/$defs/${paramsDefName(id)}` } } },
      })),
    }),
  };
}

/** One schema for suites: the core schema with every installed plugin's ids and params schemas under `$defs`. */
export function composeSuiteSchema(registry: PluginRegistry): object {
  const { properties } = suiteSchema;
  const axes = properties.axes.properties;
  const ref = (kind: PluginKind, items: object) => ({ ...items, items: pluginRefSchema(registry, kind) });
  return {
    ...suiteSchema,
    properties: {
      ...properties,
      axes: {
        ...properties.axes,
        properties: {
          ...axes,
          backbone: ref('backbone', axes.backbone),
          mask: { ...axes.mask, items: { ...axes.mask.items, else: pluginRefSchema(registry, 'mask') } },
          dataset: ref('dataset', axes.dataset),
          // the plugin declaring itself the default head fills a missing head axis (head:linear)
          head: {
            ...ref('head', axes.head),
            ...(defaultRefs(registry, 'head').length && { default: defaultRefs(registry, 'head') }),
          },
          // no schema default: a suite without an input axis keeps its labels and hashes (harness fills input:identity)
          input: ref('input', axes.input),
        },
      },
      trackers: ref('tracker', properties.trackers),
    },
    $defs: Object.fromEntries(
      registry.all().map(({ descriptor }) => [paramsDefName(descriptor.id), descriptor.paramsSchema]),
    ),
  };
}
