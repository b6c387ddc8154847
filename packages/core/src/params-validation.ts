import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The one JSON-schema validator of lookright (draft 2020-12): every error reported, defaults filled in, unknown
 * keywords allowed (plugins annotate their schemas), `verbose` so errors carry the offending schema and data.
 */
export const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, verbose: true });

const compiled = new WeakMap<object, ValidateFunction>();

/** The compiled validator of a schema object; each schema object is compiled once. */
export function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** One thing wrong with a plugin's params: a JSON pointer below `params` and what is wrong there. */
export interface ParamsProblem {
  /** e.g. `/k`; empty for the params object itself. */
  path: string;
  message: string;
}

/** The outcome of checking params: a copy with the schema's defaults filled in, or every problem found. */
export type CheckedParams = { ok: true; params: Record<string, unknown> } | { ok: false; problems: ParamsProblem[] };

/** Validates a copy of `params` against `schema`, filling defaults; the input is never changed. */
export function checkParams(schema: object, params: Readonly<Record<string, unknown>>): CheckedParams {
  const copy: Record<string, unknown> = structuredClone(params);
  const validate = validatorOf(schema);
  if (validate(copy)) return { ok: true, params: copy };
  return {
    ok: false,
    problems: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? 'is invalid' })),
  };
}
