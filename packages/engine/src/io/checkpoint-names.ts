import { engineErrors } from '../errors.js';

/** The tensor names a model's config.json implies: every required name must be present, optional ones may be. */
export interface ExpectedTensorNames {
  required: readonly string[];
  /** Names that may be present, e.g. `lm_head.weight` when embeddings are tied. */
  optional?: readonly string[];
}

/**
 * Checks the checkpoint's tensor names against the names config.json implies. Missing required names and names
 * nobody expects are both refused with an error that lists the expected names (layer indices collapsed).
 * `source` names the checkpoint (folder or file) in the message.
 */
export function assertTensorNames(source: string, present: Iterable<string>, expected: ExpectedTensorNames): void {
  const have = new Set(present);
  const allowed = new Set([...expected.required, ...(expected.optional ?? [])]);
  const missing = expected.required.filter((name) => !have.has(name));
  const unexpected = [...have].filter((name) => !allowed.has(name)).sort();
  if (missing.length || unexpected.length)
    throw engineErrors.checkpointTensorNames(source, missing, unexpected, summarizeNames([...allowed]));
}

/** Checks one tensor's shape against the shape config.json implies. */
export function assertTensorShape(
  source: string,
  name: string,
  found: readonly number[],
  expected: readonly number[],
): void {
  if (found.length !== expected.length || found.some((d, i) => d !== expected[i]))
    throw engineErrors.checkpointTensorShape(source, name, expected, found);
}

/**
 * Lists names compactly: names that differ only in one integer path segment are collapsed into a range,
 * e.g. `model.layers.{0..31}.mlp.up_proj.weight`.
 */
export function summarizeNames(names: readonly string[]): string {
  const groups = new Map<string, number[]>();
  const singles: string[] = [];
  for (const name of names) {
    const match = /^(.*?\.)(\d+)(\..*)$/.exec(name);
    if (!match) {
      singles.push(name);
      continue;
    }
    const key = `${match[1]}\u0000${match[3]}`;
    const list = groups.get(key) ?? [];
    list.push(Number(match[2]));
    groups.set(key, list);
  }
  const collapsed = [...groups].map(([key, indices]) => {
    const [head, tail] = key.split('\u0000');
    return `${head}${formatIndices(indices)}${tail}`;
  });
  return [...singles, ...collapsed].sort().join(', ');
}

function formatIndices(indices: number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  if (sorted.length === 1) return String(sorted[0]);
  const contiguous = sorted.every((v, i) => v === sorted[0] + i);
  return contiguous ? `{${sorted[0]}..${sorted[sorted.length - 1]}}` : `{${sorted.join(',')}}`;
}
