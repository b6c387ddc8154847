import { textErrors } from '../errors.js';
import { spansFromTags, tagsFromSpans } from './spans.js';
import { isTag, parseTag, type TagScheme } from './tag.js';

/** The first place where a tag sequence breaks a scheme. */
export interface SchemeViolation {
  /** 0-based token index. */
  index: number;
  tag: string;
  /** What a well-formed sequence with the same chunks has at that index. */
  expected: string;
}

/**
 * Checks one sentence's tags against a scheme. Each scheme has exactly one way to write a set of chunks, so a
 * sequence is valid when re-writing its (leniently read) chunks in the scheme gives it back unchanged.
 * Returns the first difference, or undefined when valid. Malformed tags throw TEXT_BAD_TAG.
 */
export function findSchemeViolation(
  tags: readonly string[],
  scheme: TagScheme,
  where = 'tags',
): SchemeViolation | undefined {
  const canonical = tagsFromSpans(spansFromTags(tags, where), tags.length, scheme);
  for (let i = 0; i < tags.length; i++) {
    if (tags[i] !== canonical[i]) return { index: i, tag: tags[i], expected: canonical[i] };
  }
  return undefined;
}

/** True when every tag parses and the sequence is well-formed in `scheme`. */
export function isValidInScheme(tags: readonly string[], scheme: TagScheme): boolean {
  return tags.every(isTag) && findSchemeViolation(tags, scheme) === undefined;
}

/** Throws TEXT_TAG_NOT_IN_SCHEME (naming `where` and the token) when `tags` break `scheme`. */
export function assertTagsInScheme(tags: readonly string[], scheme: TagScheme, where = 'tags'): void {
  for (let i = 0; i < tags.length; i++) parseTag(tags[i], `${where}[${i}]`);
  const violation = findSchemeViolation(tags, scheme, where);
  if (violation) throw textErrors.tagNotInScheme(violation.tag, violation.index, scheme, violation.expected, where);
}
