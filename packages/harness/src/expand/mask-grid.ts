import type { MaskGrid, PluginRef } from '@lookright/core';

/**
 * All 2^G on/off patterns of G layer groups as `mask:groups` refs, in binary counting order: "00..0" (all causal)
 * first, "11..1" (all bidirectional) last; the first character is the group nearest the input.
 */
export function maskGridRefs(grid: MaskGrid): PluginRef[] {
  const groups = grid.grid.groups;
  return Array.from({ length: 2 ** groups }, (_, i) => ({
    id: 'mask:groups',
    params: { pattern: i.toString(2).padStart(groups, '0') },
  }));
}

export function isMaskGrid(entry: PluginRef | MaskGrid): entry is MaskGrid {
  return 'grid' in entry;
}
