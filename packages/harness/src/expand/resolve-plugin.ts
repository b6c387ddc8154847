import type { PluginRef, PluginRegistry } from '@lookright/core';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { harnessErrors } from '../errors.js';
import type { ResolvedPlugin } from './cell-types.js';
import { interpolateEnv } from './interpolate-env.js';

const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
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
 * The label is derived from the params as written, before defaults, so it stays as short as the suite.
 */
export function resolvePlugin(
  ref: PluginRef,
  registry: PluginRegistry,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): ResolvedPlugin {
  const { descriptor, origin } = registry.get(ref.id);
  const label = pluginLabel(ref.id, ref.name, ref.params ?? {});
  const paramsAsWritten = structuredClone(ref.params ?? {});
  const validate = validatorFor(descriptor.paramsSchema);
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
