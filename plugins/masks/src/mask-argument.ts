import {
  checkParams,
  type MaskStrategy,
  type PluginContext,
  type PluginRef,
  type PluginRegistry,
  refFromText,
} from '@lookright/core';
import { maskErrors } from './errors.js';

/** A `--mask` argument resolved to a plugin reference and the strategy it creates. */
export interface ResolvedMask {
  ref: { id: string; params: Record<string, unknown> };
  strategy: MaskStrategy;
}

type SchemaProperties = Record<string, { type?: string } | undefined>;

function parsePairs(text: string, argument: string, properties: SchemaProperties): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw maskErrors.badMaskArgument(argument, `"${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const type = properties[key]?.type;
    params[key] = type === 'integer' || type === 'number' ? Number(raw) : raw;
  }
  return params;
}

function parseParams(text: string, argument: string, properties: SchemaProperties): Record<string, unknown> {
  if (text === '') return {};
  if (!text.startsWith('{')) return parsePairs(text, argument, properties);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw maskErrors.badMaskArgument(argument, `its params are not JSON: ${(cause as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw maskErrors.badMaskArgument(argument, 'its params must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Reads a mask as a command line gives it and creates the strategy:
 * - `0101`: `mask:groups` with that pattern (as long as the layer count: one character per layer);
 * - `mask:causal` or `causal`: a plugin id without params;
 * - `mask:first-k:k=2`, `mask:lookahead:k=2&layers=0-1`: key=value params joined by `&`;
 * - `mask:lookahead:{"k":2}`: JSON params.
 * The params are checked against the plugin's params schema, so errors are the ones a suite would give.
 */
export async function resolveMaskArgument(
  argument: string,
  registry: PluginRegistry,
  ctx: PluginContext,
): Promise<ResolvedMask> {
  const text = argument.trim();
  let ref: PluginRef & { params: Record<string, unknown> };
  const shorthand = refFromText(registry, 'mask', text);
  if (shorthand.params) {
    ref = { id: shorthand.id, params: shorthand.params };
  } else {
    const rest = text.startsWith('mask:') ? text.slice('mask:'.length) : text;
    const colon = rest.indexOf(':');
    const id = `mask:${colon < 0 ? rest : rest.slice(0, colon)}`;
    const descriptor = registry.of('mask').get(id).descriptor;
    const properties = ((descriptor.paramsSchema as { properties?: SchemaProperties }).properties ??
      {}) as SchemaProperties;
    ref = { id, params: parseParams(colon < 0 ? '' : rest.slice(colon + 1), argument, properties) };
  }
  const checked = checkParams(registry.of('mask').get(ref.id).descriptor.paramsSchema, ref.params);
  if (!checked.ok) {
    const problems = checked.problems.map((p) => `params${p.path} ${p.message}`).join('; ');
    throw maskErrors.badMaskArgument(argument, `${ref.id} ${problems}`);
  }
  ref = { id: ref.id, params: checked.params };
  const strategy = await registry.create('mask', ref, ctx);
  return { ref, strategy };
}
