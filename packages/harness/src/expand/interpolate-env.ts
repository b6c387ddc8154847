import { harnessErrors } from '../errors.js';

const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const secretLike = /TOKEN|PASSWORD|SECRET|KEY/;

/** Whether a variable may be interpolated into params: LOOKRIGHT_* only, and nothing that looks like a secret. */
export function isInterpolatable(variable: string): boolean {
  return variable.startsWith('LOOKRIGHT_') && !secretLike.test(variable);
}

/**
 * The one place where suites refer to the environment: every `${LOOKRIGHT_...}` inside a string param (at any
 * depth) is replaced by the variable's value. An unset or refused variable is an error naming `where` (a JSON
 * path in the suite). Values other than strings, arrays and plain objects pass through unchanged.
 */
export function interpolateEnv<T>(value: T, env: Readonly<Record<string, string | undefined>>, where: string): T {
  if (typeof value === 'string') {
    return value.replace(placeholder, (_match, variable: string) => {
      if (!isInterpolatable(variable)) throw harnessErrors.envVariableRefused(variable, where);
      const resolved = env[variable];
      if (resolved === undefined || resolved === '') throw harnessErrors.envVariableUnset(variable, where);
      return resolved;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, `${where}/${i}`)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, `${where}/${k}`)])) as T;
  }
  return value;
}
