import { LookrightError } from '../errors.js';
import type { PluginRegistry } from '../plugin-registry.js';
import type { MaskGrid, PluginRef } from './suite-schema.js';

/** The most groups a grid may have (2^8 = 256 patterns), as the suite schema allows. */
export const maxGridGroups = 8;

/**
 * All 2^groups on/off patterns in binary order, "00..0" first and "11..1" last, as references to the mask plugin
 * that owns the grid shorthand (mask:groups: character g is group g, nearest the input first, the paper's
 * notation). `groups: 4` gives the 16 patterns "0000" .. "1111".
 */
export function expandMaskGrid(groups: number, registry: PluginRegistry): PluginRef[] {
  if (!Number.isInteger(groups) || groups < 1 || groups > maxGridGroups) {
    throw new LookrightError(
      'MASK_GRID_INVALID',
      `mask grid: groups is ${groups}; it must be an integer from 1 to ${maxGridGroups}`,
      'Write mask: [{grid: {groups: 4}}] for the 16 patterns of four layer groups.',
    );
  }
  const owner = registry.of('mask').owner('grid shorthand')?.descriptor;
  const param = owner?.shorthands?.grid?.param;
  if (!owner || !param) {
    throw new LookrightError(
      'MASK_GRID_UNOWNED',
      'mask grid: no installed mask plugin expands {grid: {groups: G}}',
      'Install a mask plugin that declares shorthands.grid (@lookright/plugin-masks: mask:groups), or list the masks.',
    );
  }
  return Array.from({ length: 2 ** groups }, (_, n) => ({
    id: owner.id,
    params: { [param]: n.toString(2).padStart(groups, '0') },
  }));
}

/** Whether a mask-axis entry is a grid rather than a plugin reference. */
export function isMaskGrid(entry: unknown): entry is MaskGrid {
  return typeof entry === 'object' && entry !== null && 'grid' in entry;
}

/**
 * A validated suite's mask axis with every grid replaced by its patterns, other references kept as they are and
 * in order. (The suite type leaves axis entries `unknown`: the schema's if/then/else is not typed through.)
 */
export function expandMaskAxis(entries: readonly unknown[], registry: PluginRegistry): PluginRef[] {
  return entries.flatMap((entry) =>
    isMaskGrid(entry) ? expandMaskGrid(entry.grid.groups, registry) : [entry as PluginRef],
  );
}
