import {
  type CellFilter,
  canonicalJson,
  locateInFile,
  nearestName,
  type SuiteProblem,
  SuiteValidationError,
} from '@lookright/core';
import { namesOf } from './cell-filter.js';
import type { ResolvedPlugin } from './cell-types.js';

/** The suite's axes after resolution; each entry keeps the JSON pointer of the suite entry it came from. */
export interface ResolvedAxes {
  backbone: readonly { plugin: ResolvedPlugin; where: string }[];
  mask: readonly { plugin: ResolvedPlugin; where: string }[];
  dataset: readonly { plugin: ResolvedPlugin; where: string }[];
  head: readonly { plugin: ResolvedPlugin; where: string }[];
  input: readonly { plugin: ResolvedPlugin; where: string }[];
  seed: readonly number[];
}

/** The filters of a suite: include:, exclude: and each override's when:, with their JSON pointers. */
export interface SuiteFilters {
  include?: readonly CellFilter[];
  exclude?: readonly CellFilter[];
  overrides?: readonly { when: CellFilter }[];
}

const pluginAxes = ['backbone', 'mask', 'dataset', 'head', 'input'] as const;

function show(values: readonly string[], max = 12): string {
  const unique = [...new Set(values)];
  return unique.length > max ? `${unique.slice(0, max).join(', ')}, ... (${unique.length})` : unique.join(', ');
}

/**
 * Entries of a plugin axis that resolve to the same plugin and params (they would silently merge into one); the
 * schema already refuses a seed given twice.
 */
function duplicates(axes: ResolvedAxes): Omit<SuiteProblem, 'file' | 'line' | 'column'>[] {
  const problems: Omit<SuiteProblem, 'file' | 'line' | 'column'>[] = [];
  for (const axis of pluginAxes) {
    const first = new Map<string, string>();
    for (const { plugin, where } of axes[axis]) {
      const key = canonicalJson({ id: plugin.id, params: plugin.paramsAsWritten });
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, where);
      else
        problems.push({
          path: where,
          expected: `each ${axis} once (remove one of the two entries)`,
          found: `${plugin.label} again, already given at ${earlier}`,
        });
    }
  }
  return problems;
}

/** Filter values that name nothing on their axis (a typo such as `mask: causl` would silently filter nothing). */
function unmatchedFilters(axes: ResolvedAxes, filters: SuiteFilters): Omit<SuiteProblem, 'file' | 'line' | 'column'>[] {
  const problems: Omit<SuiteProblem, 'file' | 'line' | 'column'>[] = [];
  const lists: [string, readonly CellFilter[]][] = [
    ['/include', filters.include ?? []],
    ['/exclude', filters.exclude ?? []],
    ...(filters.overrides ?? []).map((o, i): [string, CellFilter[]] => [`/overrides/${i}/when`, [o.when]]),
  ];
  for (const [base, list] of lists)
    list.forEach((filter, i) => {
      const at = base.endsWith('/when') ? base : `${base}/${i}`;
      for (const axis of pluginAxes) {
        const wanted = filter[axis];
        if (wanted === undefined) continue;
        const names = axes[axis].flatMap(({ plugin }) => namesOf(plugin));
        if (names.includes(wanted)) continue;
        const near = nearestName(wanted, names);
        problems.push({
          path: `${at}/${axis}`,
          expected: `a ${axis} of the suite (${show(axes[axis].map((a) => a.plugin.label))})${near ? `; did you mean ${near}?` : ''}`,
          found: `${JSON.stringify(wanted)}, which matches no cell`,
        });
      }
      if (filter.seed !== undefined && !axes.seed.includes(filter.seed))
        problems.push({
          path: `${at}/seed`,
          expected: `a seed of the suite (${axes.seed.join(', ')})`,
          found: `${filter.seed}, which matches no cell`,
        });
    });
  return problems;
}

/**
 * Refuses what would otherwise be a silent no-op: an axis entry given twice (its cells would merge into one) and an
 * include:/exclude:/when: value that names nothing on its axis. Problems name the suite file, line and key.
 */
export function checkAxesAndFilters(suiteFile: string, axes: ResolvedAxes, filters: SuiteFilters): void {
  const found = [...duplicates(axes), ...unmatchedFilters(axes, filters)];
  if (found.length === 0) return;
  throw new SuiteValidationError(found.map((p) => ({ file: suiteFile, ...locateInFile(suiteFile, p.path), ...p })));
}
