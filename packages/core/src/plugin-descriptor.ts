import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** The six extension points. A plugin id is `<kind>:<name>`. */
export const pluginKinds = ['mask', 'backbone', 'dataset', 'head', 'tracker', 'input'] as const;
export type PluginKind = (typeof pluginKinds)[number];

/** What a plugin's `create` receives besides its own params. */
export interface PluginContext {
  /** Directory that relative paths in params are resolved against (the suite file's folder, or the cwd). */
  baseDir: string;
  /** Environment to read (LOOKRIGHT_DATA_DIR, HF_HOME, ...); never logged as a whole. */
  env: Readonly<Record<string, string | undefined>>;
  /** Plain progress / diagnostic lines. */
  log: (line: string) => void;
}

/**
 * Suite shorthands a plugin owns, as data. Core applies them and knows no plugin id itself; at most one plugin of
 * a kind may own each (the second is refused when its package loads).
 */
export interface PluginShorthands {
  /**
   * A bare string on this kind's suite axis that matches `match` (a regular expression source) stands for this
   * plugin with the string as param `param`: `mask:groups` declares `{match: '^[01]+$', param: 'pattern'}`, so
   * `"0101"` means `{id: mask:groups, params: {pattern: "0101"}}`.
   */
  readonly text?: { readonly match: string; readonly param: string };
  /**
   * The mask plugin a `{grid: {groups: G}}` mask-axis entry expands to: 2^G references with param `param` set
   * to each G-character 0/1 pattern, "00..0" first and "11..1" last.
   */
  readonly grid?: { readonly param: string };
}

/**
 * A plugin: plain data plus a factory, like a tfjs kernel config. `paramsSchema` is a JSON schema (draft 2020-12)
 * for `params`; suites are validated against it before any work starts, and the params type is derived from it.
 */
export interface PluginDescriptor<TInstance = unknown, TParams = unknown> {
  /** Namespaced id, e.g. `mask:groups`. */
  readonly id: string;
  readonly kind: PluginKind;
  /** One line shown by `plugins list`. */
  readonly summary: string;
  readonly paramsSchema: object;
  /** Shorthands this plugin owns in suites (see PluginShorthands). */
  readonly shorthands?: PluginShorthands;
  /** Used, with default params, when a suite leaves this kind's axis out (`head:linear`). One per kind at most. */
  readonly isDefault?: boolean;
  create(params: TParams, ctx: PluginContext): TInstance | Promise<TInstance>;
}

/** The params type a JSON schema literal describes (json-schema-to-ts), with defaults filled in. */
export type ParamsOf<S> = S extends JSONSchema ? FromSchema<S, { keepDefaultedPropertiesOptional: false }> : never;

/**
 * Identity helper that types `create`'s params from the schema literal (write the schema `as const`).
 * `defineConfig`-style: it adds types, not behaviour. `S` is constrained to `object`, not `JSONSchema`: matching
 * a literal against the JSONSchema union during inference is what makes the type checker crawl.
 */
export function definePlugin<TInstance, const S extends object>(plugin: {
  id: string;
  kind: PluginKind;
  summary: string;
  paramsSchema: S;
  shorthands?: PluginShorthands;
  isDefault?: boolean;
  create(params: ParamsOf<S>, ctx: PluginContext): TInstance | Promise<TInstance>;
}): PluginDescriptor<TInstance, ParamsOf<S>> {
  return plugin as PluginDescriptor<TInstance, ParamsOf<S>>;
}

/** The package a descriptor came from, for error messages and logged params. */
export interface PluginOrigin {
  packageName: string;
  packageVersion: string;
  packageDir: string;
}
