import type { ErrorObject } from 'ajv/dist/2020.js';

/** A oneOf/anyOf the value matched no branch of (or, for a oneOf, several), to be shown as the accepted forms. */
export interface FailedAlternatives {
  path: string;
  /** Each branch in words, e.g. `false`, `an object with keys r, alpha, dropout, targets`. */
  forms: string[];
  /** For a oneOf the value matched more than one branch of: those branches in words (e.g. `key model`). */
  matched?: string[];
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const typeWords: Record<string, string> = { array: 'list', null: 'null', integer: 'whole number' };

/** One branch of a oneOf/anyOf in words: a const is its value, an object its keys, anything else its type. */
export function describeBranch(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return 'any value';
  const s = schema as Record<string, unknown>;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof s.$ref === 'string') return `a ${s.$ref.split('/').at(-1)}`;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf))
    return ((s.oneOf ?? s.anyOf) as unknown[]).map(describeBranch).join(', or ');
  const types = (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]) as string[];
  // a branch that only requires keys, as in oneOf: [{required: [model]}, {required: [config]}]
  if (types.length === 0 && Array.isArray(s.required) && s.properties === undefined && s.description === undefined)
    return `key ${(s.required as string[]).join(', ')}`;
  if (types.includes('object') && typeof s.properties === 'object' && s.properties !== null) {
    const keys = Object.keys(s.properties);
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    const needs = required.length ? ` (${required.join(', ')} required)` : '';
    return keys.length ? `an object with keys ${keys.join(', ')}${needs}` : 'an object';
  }
  if (types.length === 0) return typeof s.description === 'string' ? s.description : 'a value of another form';
  const words = types.map((t) => article(typeWords[t] ?? t)).join(' or ');
  return typeof s.description === 'string' ? `${words} (${s.description})` : words;
}

/** Which branch of the oneOf at `schemaPath` an error belongs to, or -1 when it is not inside that oneOf. */
function branchOf(error: ErrorObject, oneOf: ErrorObject): number {
  const prefix = `${oneOf.schemaPath}/`;
  if (!error.schemaPath.startsWith(prefix)) return -1;
  return Number(error.schemaPath.slice(prefix.length).split('/')[0]);
}

/** The value has the wrong shape for a branch when that branch fails on its type, const or enum at the value. */
const shapeKeywords = new Set(['type', 'const', 'enum']);

/**
 * Sorts out ajv's errors for each failed oneOf/anyOf. When the value has the shape of some branch (say an object
 * for `false | {r, alpha, ...}`), only that branch's errors are kept: they say what is wrong inside it. When it has
 * the shape of none (`lora: true`), all the branch errors are replaced by one problem listing the accepted forms.
 */
export function sortAlternatives(all: readonly ErrorObject[]): { errors: ErrorObject[]; failed: FailedAlternatives[] } {
  const drop = new Set<ErrorObject>();
  const failed: FailedAlternatives[] = [];
  for (const oneOf of all.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const branches = Array.isArray(oneOf.schema) ? (oneOf.schema as unknown[]) : [];
    const inside = all.filter((e) => e !== oneOf && branchOf(e, oneOf) >= 0);
    const passing = (oneOf.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing) && passing.length > 1) {
      // several branches matched (model and pretrain both given): the other branches' errors say nothing useful
      for (const e of [oneOf, ...inside]) drop.add(e);
      const forms = branches.map(describeBranch);
      failed.push({ path: oneOf.instancePath, forms, matched: (passing as number[]).map((i) => forms[i]) });
      continue;
    }
    if (branches.length === 0 || inside.length === 0) continue;
    const wrongShape = new Set(
      inside
        .filter((e) => e.instancePath === oneOf.instancePath && shapeKeywords.has(e.keyword))
        .map((e) => branchOf(e, oneOf)),
    );
    const shaped = branches.map((_, i) => i).filter((i) => !wrongShape.has(i));
    drop.add(oneOf);
    if (shaped.length === 0) {
      for (const e of inside) drop.add(e);
      failed.push({ path: oneOf.instancePath, forms: branches.map(describeBranch) });
    } else {
      for (const e of inside) if (!shaped.includes(branchOf(e, oneOf))) drop.add(e);
    }
  }
  return { errors: all.filter((e) => !drop.has(e)), failed };
}
