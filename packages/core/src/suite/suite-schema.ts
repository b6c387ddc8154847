import type { PluginKind } from '../plugin-descriptor.js';
import { recipeSchema } from './recipe-schema.js';

/** Axes a suite crosses; `seed` is plain integers, the others are plugin references. */
export const pluginAxes = ['backbone', 'mask', 'dataset', 'head'] as const satisfies readonly PluginKind[];

/** Matches a cell on some axes, by plugin id or reference name (and seed). */
const cellFilterSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    backbone: { type: 'string' },
    mask: { type: 'string' },
    dataset: { type: 'string' },
    head: { type: 'string' },
    seed: { type: 'integer' },
  },
} as const;

/**
 * The core suite schema, with each plugin reference left open. `composeSuiteSchema` closes the references over
 * the installed plugins' ids and params schemas.
 */
export function coreSuiteSchema(pluginRef: (kind: PluginKind) => object, maskGrid: object): object {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['name', 'axes'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      description: { type: 'string' },
      plugins: { type: 'array', items: { type: 'string', minLength: 1 } },
      recipe: { ...recipeSchema, default: {} },
      axes: {
        type: 'object',
        additionalProperties: false,
        required: ['backbone', 'mask', 'dataset'],
        properties: {
          backbone: { type: 'array', minItems: 1, items: pluginRef('backbone') },
          mask: {
            type: 'array',
            minItems: 1,
            items: { if: { type: 'object', required: ['grid'] }, then: maskGrid, else: pluginRef('mask') },
          },
          dataset: { type: 'array', minItems: 1, items: pluginRef('dataset') },
          head: { type: 'array', minItems: 1, items: pluginRef('head'), default: [{ id: 'head:linear' }] },
          seed: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer' }, default: [1] },
        },
      },
      include: { type: 'array', items: cellFilterSchema },
      exclude: { type: 'array', items: cellFilterSchema },
      overrides: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['when', 'recipe'],
          properties: {
            when: cellFilterSchema,
            recipe: { ...recipeSchema, properties: stripDefaults(recipeSchema.properties) },
          },
        },
      },
      trackers: { type: 'array', items: pluginRef('tracker') },
    },
  };
}

/** `mask: {grid: {groups: G}}` stands for all 2^G `mask:groups` patterns. */
export const maskGridSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['grid'],
  properties: {
    grid: {
      type: 'object',
      additionalProperties: false,
      required: ['groups'],
      properties: { groups: { type: 'integer', minimum: 1, maximum: 8 } },
    },
  },
} as const;

function stripDefaults(properties: Record<string, object>): Record<string, object> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, schema]) => {
      const { default: _ignored, ...rest } = schema as { default?: unknown };
      return [key, rest];
    }),
  );
}
