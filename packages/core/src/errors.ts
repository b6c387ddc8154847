import { nearestName } from './nearest-name.js';

/**
 * Every error lookright raises on purpose. `code` is stable and machine-readable; `hint` says what to do.
 * The CLI prints `message` and `hint` without a stack trace unless --debug is given.
 */
export class LookrightError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LookrightError';
  }
}

/** One located problem in a suite file. */
export interface SuiteProblem {
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the suite document, e.g. `/axes/mask/2/params/k`. */
  path: string;
  expected: string;
  found: string;
}

export class SuiteValidationError extends LookrightError {
  constructor(readonly problems: SuiteProblem[]) {
    super(
      'SUITE_INVALID',
      `${problems.length} problem(s) in suite:\n${problems.map(formatSuiteProblem).join('\n')}`,
      'Fix the suite file; no work was started.',
    );
    this.name = 'SuiteValidationError';
  }
}

export function formatSuiteProblem(p: SuiteProblem): string {
  return `  ${p.file}:${p.line}:${p.column} at ${p.path || '/'}: expected ${p.expected}, found ${p.found}`;
}

/**
 * Anything thrown inside a plugin's hook, re-raised naming the plugin and its package (as Rollup does). A coded
 * error keeps its code and hint, so callers still recognise e.g. `HUB_NOT_CACHED`; anything else gets
 * `PLUGIN_ERROR`. The original error is the `cause`.
 */
export class PluginError extends LookrightError {
  constructor(
    readonly pluginId: string,
    readonly pluginPackage: string,
    readonly hook: string,
    cause: unknown,
  ) {
    const coded = codedParts(cause);
    super(
      coded?.code ?? 'PLUGIN_ERROR',
      `${pluginId} (from ${pluginPackage}) failed in ${hook}: ${cause instanceof Error ? cause.message : String(cause)}`,
      coded?.hint ??
        `This looks like a bug in ${pluginPackage}; run with --debug for its stack trace and report it to the plugin's author.`,
      { cause },
    );
    this.name = 'PluginError';
  }
}

/** The code and hint of a LookrightError, checked by shape: a plugin may load its own copy of core's class. */
function codedParts(error: unknown): { code: string; hint?: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const code: unknown = Reflect.get(error, 'code');
  const hint: unknown = Reflect.get(error, 'hint');
  if (typeof code !== 'string') return null;
  return { code, hint: typeof hint === 'string' ? hint : undefined };
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearestName(name, candidates);
  return near ? ` (did you mean ${near}?)` : '';
}

export const errors = {
  duplicatePluginId: (id: string, firstPackage: string, secondPackage: string) =>
    new LookrightError(
      'PLUGIN_DUPLICATE_ID',
      `plugin id ${id} is registered by both ${firstPackage} and ${secondPackage}`,
      "Rename one of the two plugins or remove one package from the suite's plugins: list.",
    ),
  unknownPluginId: (kind: string, id: string, known: readonly string[]) =>
    new LookrightError(
      'PLUGIN_UNKNOWN_ID',
      `unknown ${kind} plugin ${id}${didYouMean(id, known)}`,
      known.length ? `Known ${kind} plugins: ${known.join(', ')}.` : `No ${kind} plugins are installed.`,
    ),
  duplicatePluginRole: (kind: string, role: string, holder: string, id: string, packageName: string) =>
    new LookrightError(
      'PLUGIN_DUPLICATE_ROLE',
      `${id} from ${packageName} declares itself the ${kind} ${role}, which ${holder} already is`,
      `Only one ${kind} plugin may be the ${role}; remove the declaration from one of the two descriptors.`,
    ),
  badPluginId: (id: string, kind: string, packageName: string) =>
    new LookrightError(
      'PLUGIN_BAD_ID',
      `plugin id ${JSON.stringify(id)} from ${packageName} must be namespaced as ${kind}:<name>`,
      'Use lower-case letters, digits and dashes after the namespace, e.g. mask:groups.',
    ),
  pluginPackageInvalid: (where: string, reason: string) =>
    new LookrightError(
      'PLUGIN_PACKAGE_INVALID',
      `cannot load plugin package ${where}: ${reason}`,
      'A plugin package declares "lookright": {"plugin": "<module path>"} in package.json, and that module default-exports one inversify ContainerModule.',
    ),
  pluginNotFound: (spec: string, tried: readonly string[]) =>
    new LookrightError(
      'PLUGIN_NOT_FOUND',
      `plugin package ${spec} was not found (tried: ${tried.join(', ')})`,
      'Give a path relative to the suite file, or install the package where the suite can resolve it.',
    ),
  pluginParamsInvalid: (id: string, packageName: string, problems: readonly { path: string; message: string }[]) =>
    new LookrightError(
      'PLUGIN_PARAMS_INVALID',
      `params of ${id} (from ${packageName}) are invalid: ${problems.map((p) => `params${p.path} ${p.message}`).join('; ')}`,
      `See the params schema with \`lookright plugins describe ${id}\`.`,
    ),
  pluginWrongShape: (id: string, packageName: string, contract: string, violation: string) =>
    new LookrightError(
      'PLUGIN_CONTRACT',
      `${id} (from ${packageName}) did not create a ${contract}: ${violation}`,
      `${packageName} is incompatible with this @lookright/core; its create() must return the ${contract} interface (docs/plugins.md).`,
    ),
  suiteUnreadable: (file: string, reason: string) =>
    new LookrightError('SUITE_UNREADABLE', `cannot read suite ${file}: ${reason}`, 'Check the path.'),
  suiteTooLarge: (file: string, bytes: number, cap: number) =>
    new LookrightError(
      'SUITE_TOO_LARGE',
      `suite ${file} is ${bytes} bytes; a suite file may be at most ${cap} bytes (${cap / 1024} KiB)`,
      'A suite lists axes, filters and a recipe; use mask grids ({grid: {groups: N}}) instead of listing every pattern, and keep data out of the suite file.',
    ),
  suiteAliasBomb: (file: string, reason: string) =>
    new LookrightError(
      'SUITE_YAML_ALIASES',
      `${file}: YAML aliases expand too far (${reason})`,
      'Write the repeated values out, or use fewer nested aliases (*name); a suite never needs deep alias chains.',
    ),
  suiteNotYaml: (file: string, line: number, column: number, reason: string) =>
    new LookrightError(
      'SUITE_NOT_YAML',
      `${file}:${line}:${column}: not valid YAML: ${reason}`,
      'Fix the YAML syntax at that line.',
    ),
};
