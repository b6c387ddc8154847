import { pluginAxes } from './suite-schema.js';

/** A mask written as a 0/1 string: one character per group (or per layer when it is as long as the layer count). */
export const maskPatternRe = /^[01]+$/;

/**
 * Rewrites shorthand references in place, before validation: a plain string id becomes `{id}`, and a 0/1 mask
 * string becomes `{id: 'mask:groups', params: {pattern}}`. The paths do not change, so errors still point at
 * the user's line.
 */
export function expandShorthands(suite: unknown): unknown {
  if (typeof suite !== 'object' || suite === null) return suite;
  const s = suite as Record<string, unknown>;
  const axes = s.axes as Record<string, unknown> | undefined;
  if (axes && typeof axes === 'object') {
    for (const axis of pluginAxes) {
      const entries = axes[axis];
      if (Array.isArray(entries)) axes[axis] = entries.map((e) => expandRef(e, axis === 'mask'));
    }
  }
  if (Array.isArray(s.trackers)) s.trackers = s.trackers.map((e) => expandRef(e, false));
  return suite;
}

function expandRef(entry: unknown, isMask: boolean): unknown {
  if (typeof entry !== 'string' && typeof entry !== 'number') return entry;
  const text = String(entry);
  if (isMask && maskPatternRe.test(text)) return { id: 'mask:groups', params: { pattern: text } };
  return { id: text };
}
