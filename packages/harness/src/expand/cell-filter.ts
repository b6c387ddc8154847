import type { CellFilter } from '@lookright/core';
import type { ResolvedPlugin } from './cell-types.js';

/** The axis values a cell is made of, as filters see them. */
export interface CellPoint {
  backbone: ResolvedPlugin;
  mask: ResolvedPlugin;
  dataset: ResolvedPlugin;
  head: ResolvedPlugin;
  input: ResolvedPlugin;
  seed: number;
}

/** Names a filter may use for a plugin: its id, its label, or (for masks) its bare pattern such as "0101". */
export function namesOf(p: ResolvedPlugin): string[] {
  const names = [p.id, p.label];
  if (typeof p.paramsAsWritten.pattern === 'string') names.push(p.paramsAsWritten.pattern);
  return names;
}

/** Whether every axis the filter names matches the cell. */
export function matchesFilter(filter: CellFilter, point: CellPoint): boolean {
  for (const axis of ['backbone', 'mask', 'dataset', 'head', 'input'] as const) {
    const wanted = filter[axis];
    if (wanted !== undefined && !namesOf(point[axis]).includes(wanted)) return false;
  }
  return filter.seed === undefined || filter.seed === point.seed;
}

/** include: keep cells matching any include filter (all when none is given); exclude: drop any match. */
export function keepCell(point: CellPoint, include: CellFilter[] | undefined, exclude: CellFilter[] | undefined) {
  if (include?.length && !include.some((f) => matchesFilter(f, point))) return false;
  return !(exclude ?? []).some((f) => matchesFilter(f, point));
}
