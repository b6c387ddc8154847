import type { PluginKind } from '../plugin-descriptor.js';
import type { PluginRegistry } from '../plugin-registry.js';
import { coreSuiteSchema, maskGridSchema } from './suite-schema.js';

/** `$defs` key holding one plugin's params schema. */
export const paramsDefName = (id: string) => `params:${id}`;

function pluginRefSchema(registry: PluginRegistry, kind: PluginKind): object {
  const ids = registry.of(kind).ids();
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: {
      id: ids.length ? { enum: ids } : { not: {} },
      name: { type: 'string', minLength: 1 },
      params: { type: 'object' },
    },
    ...(ids.length > 0 && {
      allOf: ids.map((id) => ({
        if: { properties: { id: { const: id } }, required: ['id'] },
        then: { properties: { params: { $ref: `#/$defs/${paramsDefName(id)}` } } },
      })),
    }),
  };
}

/** One schema for suites: the core schema with every installed plugin's params schema under `$defs`. */
export function composeSuiteSchema(registry: PluginRegistry): object {
  const schema = coreSuiteSchema((kind) => pluginRefSchema(registry, kind), maskGridSchema) as Record<string, unknown>;
  schema.$defs = Object.fromEntries(
    registry.all().map(({ descriptor }) => [paramsDefName(descriptor.id), descriptor.paramsSchema]),
  );
  return schema;
}
