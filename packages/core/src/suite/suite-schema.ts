import type { FromSchema } from 'json-schema-to-ts';
import type { PluginKind } from '../plugin-descriptor.js';
import { recipeSchema } from './recipe-schema.js';

/** Axes a suite crosses; `seed` is plain integers, the others are plugin references. */
export const pluginAxes = ['backbone', 'mask', 'dataset', 'head', 'input'] as const satisfies readonly PluginKind[];

/**
 * A plugin reference before it is closed over the installed plugins: `composeSuiteSchema` replaces each one with
 * the installed ids and their params schemas.
 */
const openPluginRef = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string' },
    /** Label in tables; defaults to the id plus params. */
    name: { type: 'string', minLength: 1 },
    params: { type: 'object' },
  },
} as const;

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
    input: { type: 'string' },
    seed: { type: 'integer' },
  },
} as const;

/** Recipe keys without defaults, for overrides that change only what they name. */
const recipeOverrideSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.entries(recipeSchema.properties).map(([key, schema]) => {
      const { default: _ignored, ...rest } = schema as { default?: unknown };
      return [key, rest];
    }),
  ),
} as const;

/** The core suite schema (draft 2020-12), with plugin references left open. */
export const suiteSchema = {
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
        backbone: { type: 'array', minItems: 1, items: openPluginRef },
        mask: {
          type: 'array',
          minItems: 1,
          items: { if: { type: 'object', required: ['grid'] }, then: maskGridSchema, else: openPluginRef },
        },
        dataset: { type: 'array', minItems: 1, items: openPluginRef },
        head: { type: 'array', minItems: 1, items: openPluginRef },
        /** Input transforms (`input:repeat`, ...); absent = the plugin declaring itself the input default (`input:identity`). */
        input: { type: 'array', minItems: 1, items: openPluginRef },
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
        properties: { when: cellFilterSchema, recipe: recipeOverrideSchema },
      },
    },
    trackers: { type: 'array', items: openPluginRef },
  },
} as const;

type Defaulted = { keepDefaultedPropertiesOptional: false };

/** A validated suite, after shorthand expansion and defaults. */
export type Suite = FromSchema<typeof suiteSchema, Defaulted>;
export type PluginRef = FromSchema<typeof openPluginRef>;
export type MaskGrid = FromSchema<typeof maskGridSchema>;
export type CellFilter = FromSchema<typeof cellFilterSchema>;
