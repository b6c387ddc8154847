import { type PluginRef, type PluginRegistry, validatorOf } from '@lookright/core';
import { harnessErrors } from '../errors.js';
import type { ResolvedPlugin } from './cell-types.js';
import { interpolateEnv } from './interpolate-env.js';

/** A string param as a label shows it: a path or repo id by its last part (`…/stories260K_hf` → `stories260K_hf`). */
function formatValue(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  const parts = value.split('/').filter(Boolean);
  return parts.length > 1 ? (parts.at(-1) as string) : value;
}

/** Params without the keys whose value is the schema's default (validation may have filled them in). */
function withoutDefaults(schema: object, params: Record<string, unknown>): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  validatorOf(schema)(defaults);
  return Object.fromEntries(
    Object.entries(params).filter(([k, v]) => !(k in defaults) || JSON.stringify(defaults[k]) !== JSON.stringify(v)),
  );
}

/** `name` if given; else the id without its namespace, plus `:value` for one param or `(k=v,...)` for several. */
export function pluginLabel(id: string, name: string | undefined, params: Record<string, unknown>): string {
  if (name) return name;
  const bare = id.slice(id.indexOf(':') + 1);
  const entries = Object.entries(params);
  if (entries.length === 0) return bare;
  if (entries.length === 1) return `${bare}:${formatValue(entries[0][1])}`;
  return `${bare}(${entries.map(([k, v]) => `${k}=${formatValue(v)}`).join(',')})`;
}

/**
 * Resolves one plugin reference: validates its params against the plugin's schema with defaults filled (refs
 * that a mask grid produced were never validated), interpolates `${LOOKRIGHT_*}` and records the package version.
 * The label leaves out params at their default value, so it stays as short as the suite.
 */
export function resolvePlugin(
  ref: PluginRef,
  registry: PluginRegistry,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): ResolvedPlugin {
  const { descriptor, origin } = registry.get(ref.id);
  const label = pluginLabel(ref.id, ref.name, withoutDefaults(descriptor.paramsSchema, ref.params ?? {}));
  const paramsAsWritten = structuredClone(ref.params ?? {});
  const validate = validatorOf(descriptor.paramsSchema);
  if (!validate(paramsAsWritten)) {
    const detail = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw harnessErrors.paramsInvalid(ref.id, where, detail);
  }
  return {
    id: ref.id,
    label,
    params: interpolateEnv(paramsAsWritten, env, `${where}/params`),
    paramsAsWritten,
    plugin: { package: origin.packageName, version: origin.packageVersion },
  };
}
