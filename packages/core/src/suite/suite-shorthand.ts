import type { PluginKind } from '../plugin-descriptor.js';
import type { PluginRegistry } from '../plugin-registry.js';
import { type PluginRef, pluginAxes } from './suite-schema.js';

/**
 * A bare string on a suite axis as a reference: the plugin of `kind` that owns a matching text shorthand with the
 * string as its param (`"0101"` on the mask axis is mask:groups when mask:groups declares it), else the id itself.
 */
export function refFromText(registry: PluginRegistry, kind: PluginKind, text: string): PluginRef {
  const owner = registry.of(kind).owner('text shorthand')?.descriptor;
  const shorthand = owner?.shorthands?.text;
  if (owner && shorthand && new RegExp(shorthand.match).test(text)) {
    return { id: owner.id, params: { [shorthand.param]: text } };
  }
  return { id: text };
}

/** The references used when a suite leaves the `kind` axis out: the plugin that declares itself its default. */
export function defaultRefs(registry: PluginRegistry, kind: PluginKind): PluginRef[] {
  const owner = registry.of(kind).owner('default');
  return owner ? [{ id: owner.descriptor.id }] : [];
}

/**
 * Rewrites shorthand references in place, before validation: a plain string id becomes `{id}`, and a string that
 * a plugin's text shorthand matches becomes that plugin's reference (see refFromText). The paths do not change,
 * so errors still point at the user's line.
 */
export function expandShorthands(suite: unknown, registry: PluginRegistry): unknown {
  if (typeof suite !== 'object' || suite === null) return suite;
  const s = suite as Record<string, unknown>;
  const axes = s.axes as Record<string, unknown> | undefined;
  if (axes && typeof axes === 'object') {
    for (const axis of pluginAxes) {
      const entries = axes[axis];
      if (Array.isArray(entries)) axes[axis] = entries.map((e) => expandRef(registry, axis, e));
    }
  }
  if (Array.isArray(s.trackers)) s.trackers = s.trackers.map((e) => expandRef(registry, 'tracker', e));
  return suite;
}

function expandRef(registry: PluginRegistry, kind: PluginKind, entry: unknown): unknown {
  if (typeof entry !== 'string' && typeof entry !== 'number') return entry;
  return refFromText(registry, kind, String(entry));
}
