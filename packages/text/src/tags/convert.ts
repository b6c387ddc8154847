import { spansFromTags, tagsFromSpans } from './spans.js';
import type { TagScheme } from './tag.js';

/**
 * Rewrites one sentence's tags from one scheme to another. Chunks are read leniently (see spansFromTags), so
 * ill-formed input such as a lone `I-X` in IOB2 becomes a chunk of its own, the rule CoNLL-2003's IOB1 -> IOB2
 * conversion uses. Tags stay strings; an invalid tag throws TEXT_BAD_TAG naming `where`.
 */
export function convertTags(tags: readonly string[], from: TagScheme, to: TagScheme, where = 'tags'): string[] {
  if (from === to) return [...tags];
  return tagsFromSpans(spansFromTags(tags, where), tags.length, to);
}

/** IOB1 (chunks start with I-, B- only between two adjacent same-type chunks) to IOB2 (every chunk starts B-). */
export function iob1ToIob2(tags: readonly string[], where?: string): string[] {
  return convertTags(tags, 'iob1', 'iob2', where);
}

/** IOB2 to BIOES (single-token chunks S-, last tokens E-). */
export function iob2ToBioes(tags: readonly string[], where?: string): string[] {
  return convertTags(tags, 'iob2', 'bioes', where);
}

/** BIOES to IOB2. */
export function bioesToIob2(tags: readonly string[], where?: string): string[] {
  return convertTags(tags, 'bioes', 'iob2', where);
}

/** IOB2 to IOE2 (last token of every chunk E-, the rest I-). */
export function iob2ToIoe(tags: readonly string[], where?: string): string[] {
  return convertTags(tags, 'iob2', 'ioe', where);
}
