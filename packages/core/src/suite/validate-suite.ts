import { readFileSync, statSync } from 'node:fs';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import { errors, LookrightError, type SuiteProblem, SuiteValidationError } from '../errors.js';
import { nearestName } from '../nearest-name.js';
import { ajv } from '../params-validation.js';
import type { PluginRegistry } from '../plugin-registry.js';
import { sortAlternatives } from './alternatives.js';
import { composeSuiteSchema } from './compose-schema.js';
import type { Suite } from './suite-schema.js';
import { expandShorthands } from './suite-shorthand.js';
import { locate } from './yaml-locations.js';

/** Reads YAML text and returns a JS value, or throws SUITE_NOT_YAML with the line. */
function parseYaml(file: string, text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw errors.suiteNotYaml(file, line, col, first.message.split('\n')[0]);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    // yaml raises a ReferenceError for an alias bomb (an alias expanding to exponentially many nodes)
    throw errors.suiteAliasBomb(file, (cause as Error).message);
  }
  return { doc, lineCounter, value };
}

/**
 * The largest suite file read, in bytes (256 KiB). Real suites are a few KB; an 8.7 MB one took 2 GB to validate,
 * and a valid 1 MB one (20,000 mask entries) 350 MB and 6 s before expansion.
 */
export const MAX_SUITE_BYTES = 256 * 1024;

/** Reads a suite file's text, refusing a missing file and one over MAX_SUITE_BYTES before reading it. */
function readSuiteText(file: string): string {
  try {
    const size = statSync(file).size;
    if (size > MAX_SUITE_BYTES) throw errors.suiteTooLarge(file, size, MAX_SUITE_BYTES);
    return readFileSync(file, 'utf8');
  } catch (cause) {
    if (cause instanceof LookrightError) throw cause;
    throw errors.suiteUnreadable(file, (cause as Error).message);
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Turns one ajv error into what a person needs: where, expected and found. */
function toProblem(
  error: ErrorObject,
  root: unknown,
  registry: PluginRegistry,
): Omit<SuiteProblem, 'file' | 'line' | 'column'> {
  const found = valueAt(root, error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const near = nearestName(key, known);
      return {
        path: `${error.instancePath}/${key}`,
        expected: `one of the keys ${known.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
        found: `unknown key ${key}`,
      };
    }
    case 'required':
      return {
        path: error.instancePath,
        expected: `key ${(error.params as { missingProperty: string }).missingProperty}`,
        found: 'it missing',
      };
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const near = typeof found === 'string' ? nearestName(found, allowed) : undefined;
      return {
        path: error.instancePath,
        expected: `one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`,
        found: describeValue(found),
      };
    }
    case 'not':
      if (error.instancePath.endsWith('/id')) {
        const kind = typeof found === 'string' ? found.split(':')[0] : 'plugin';
        const known = registry.all().map((p) => p.descriptor.id);
        const near = typeof found === 'string' ? nearestName(found, known) : undefined;
        return {
          path: error.instancePath,
          expected: `an installed ${kind} plugin id (none is installed${near ? `; did you mean ${near}?` : ''})`,
          found: describeValue(found),
        };
      }
      return { path: error.instancePath, expected: `not ${JSON.stringify(error.schema)}`, found: describeValue(found) };
    default:
      return { path: error.instancePath, expected: `a value that ${error.message}`, found: describeValue(found) };
  }
}

/** ajv reports a failed if/then or oneOf branch as well as its cause; keep only the causes. */
function isNoise(error: ErrorObject, all: ErrorObject[]): boolean {
  if (error.keyword === 'if') return true;
  if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
    return all.some(
      (other) =>
        other !== error && other.instancePath.startsWith(error.instancePath) && other.keyword !== error.keyword,
    );
  }
  return false;
}

/**
 * Parses and validates a suite against the schema composed from every installed plugin. Any problem throws a
 * SuiteValidationError listing file:line:column, the JSON path, what was expected and what was found.
 */
export function validateSuiteText(file: string, text: string, registry: PluginRegistry): Suite {
  const { doc, lineCounter, value } = parseYaml(file, text);
  const suite = expandShorthands(structuredClone(value), registry);
  const schema = composeSuiteSchema(registry);
  const validate = ajv.compile(schema);
  const valid = validate(suite);
  const reported = validate.errors ?? [];
  // composed per call: keep the shared validator's cache from growing with every suite read
  ajv.removeSchema(schema);
  if (valid) return suite as Suite;
  const { errors: all, failed } = sortAlternatives(reported);
  const seen = new Set<string>();
  const problems: SuiteProblem[] = failed.map(({ path, forms, matched }) => ({
    file,
    ...locate(doc, lineCounter, path),
    path,
    expected: matched ? `only one of ${forms.join(', or ')}` : forms.join(', or '),
    found: matched
      ? `${matched.join(' and ')} together (${describeValue(valueAt(suite, path))})`
      : describeValue(valueAt(suite, path)),
  }));
  for (const error of all.filter((e) => !isNoise(e, all))) {
    const problem = toProblem(error, suite, registry);
    const key = `${problem.path}|${problem.expected}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      file,
      ...locate(doc, lineCounter, problem.path, error.keyword === 'additionalProperties'),
      ...problem,
    });
  }
  throw new SuiteValidationError(problems);
}

/** Reads a suite file and validates it (see validateSuiteText). */
export function validateSuiteFile(file: string, registry: PluginRegistry): Suite {
  return validateSuiteText(file, readSuiteText(file), registry);
}

/** Only the suite's own `plugins:` list, read before the registry exists (it decides which plugins load). */
export function readSuitePluginList(file: string): string[] {
  const { value } = parseYaml(file, readSuiteText(file));
  const plugins = (value as { plugins?: unknown } | null)?.plugins;
  return Array.isArray(plugins) ? plugins.filter((p): p is string => typeof p === 'string') : [];
}
