import { textErrors } from '../errors.js';

/** Tag schemes lookright reads and writes. `ioe` is IOE2: every chunk's last token is E-X. */
export type TagScheme = 'iob1' | 'iob2' | 'ioe' | 'bioes';

export const tagSchemes: readonly TagScheme[] = ['iob1', 'iob2', 'ioe', 'bioes'];

/** Chunk position prefix of a tag; `O` is outside any chunk. */
export type TagPrefix = 'B' | 'I' | 'E' | 'S' | 'O';

/** A tag split into its prefix and its type (`''` for `O`). */
export interface ParsedTag {
  prefix: TagPrefix;
  type: string;
}

const TAG_PATTERN = /^([BIES])-(.+)$/;

/**
 * Splits `B-PER` into `{prefix: 'B', type: 'PER'}`; the type is everything after the first `-`.
 * Throws TEXT_BAD_TAG for anything that is not `O` or `P-TYPE` with P in B/I/E/S.
 */
export function parseTag(tag: string, where = 'tag'): ParsedTag {
  if (tag === 'O') return { prefix: 'O', type: '' };
  const match = TAG_PATTERN.exec(tag);
  if (!match) throw textErrors.badTag(tag, where);
  return { prefix: match[1] as TagPrefix, type: match[2] };
}

/** True when `tag` is `O` or `P-TYPE` with P in B/I/E/S. */
export function isTag(tag: string): boolean {
  return tag === 'O' || TAG_PATTERN.test(tag);
}

/** The inverse of parseTag. */
export function formatTag(prefix: TagPrefix, type: string): string {
  return prefix === 'O' ? 'O' : `${prefix}-${type}`;
}

/** Checks a scheme name given as text (CLI, config). */
export function toTagScheme(name: string): TagScheme {
  const scheme = tagSchemes.find((s) => s === name.toLowerCase());
  if (!scheme) throw textErrors.unknownScheme(name, tagSchemes);
  return scheme;
}
