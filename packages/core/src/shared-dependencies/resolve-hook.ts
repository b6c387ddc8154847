/**
 * Module-resolution hook (run by Node in its loader thread, see `module.register`) that lets plugin packages kept
 * outside the lookright checkout import lookright's own copies of `@lookright/*` and of what `@lookright/core`
 * depends on (inversify, ...), so such a package needs no install of its own.
 *
 * A specifier is redirected only when all hold: the importing file lies outside lookright's tree, it is one of
 * those shared names, and the importing file cannot resolve it itself (its own install always wins).
 */

/** What {@link installSharedDependencyResolution} hands to the hook thread. */
export interface SharedDependencyData {
  /** file URL of the lookright checkout, ending in `/`. */
  rootUrl: string;
  /** `@lookright/<name>` -> file URL of that workspace package's package.json (resolved as a self-reference). */
  workspacePackages: Record<string, string>;
  /** Bare package names resolved as `@lookright/core` resolves them. */
  coreDependencies: string[];
  /** file URL of `@lookright/core`'s package.json. */
  coreUrl: string;
}

interface ResolveContext {
  parentURL?: string;
  conditions?: readonly string[];
  importAttributes?: Record<string, string>;
}

type NextResolve = (specifier: string, context?: ResolveContext) => Promise<unknown>;

let shared: SharedDependencyData | undefined;

/** Receives the workspace layout from the main thread. */
export function initialize(data: SharedDependencyData): void {
  shared = data;
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The file URL a shared specifier is resolved from, or undefined when it is not a shared one. */
function sharedParent(specifier: string, data: SharedDependencyData): string | undefined {
  const name = packageNameOf(specifier);
  if (name in data.workspacePackages) return data.workspacePackages[name];
  return data.coreDependencies.includes(name) ? data.coreUrl : undefined;
}

/** Node's resolve hook: try the importer's own resolution first, then lookright's copy of a shared package. */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const data = shared;
    const parent = context.parentURL;
    if (!data || !parent || parent.startsWith(data.rootUrl)) throw error;
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const sharedFrom = sharedParent(specifier, data);
    if (!sharedFrom) throw error;
    return await nextResolve(specifier, { ...context, parentURL: sharedFrom });
  }
}
