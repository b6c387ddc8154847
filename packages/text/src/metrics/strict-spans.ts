import { textErrors } from '../errors.js';
import type { Span } from '../tags/spans.js';
import type { TagScheme } from '../tags/tag.js';

type Prefix = 'B' | 'I' | 'E' | 'S' | 'O';
type TypeRule = 'same' | 'diff' | 'any';
/** A transition rule: previous prefixes, current prefixes, and whether the two types must match. */
type Rule = readonly [prev: string, cur: string, types: TypeRule];

/** seqeval's per-scheme transition tables (seqeval/scheme.py, v1.2.2), written as prefix strings. */
interface StrictScheme {
  allowed: string;
  start: readonly Rule[];
  inside: readonly Rule[];
  end: readonly Rule[];
}

const ANY = 'BIESO';

const STRICT_SCHEMES: Record<TagScheme, StrictScheme> = {
  iob1: {
    allowed: 'IOB',
    start: [
      ['O', 'I', 'any'],
      ['I', 'I', 'diff'],
      ['B', 'I', 'any'],
      ['I', 'B', 'same'],
      ['B', 'B', 'same'],
    ],
    inside: [
      ['B', 'I', 'same'],
      ['I', 'I', 'same'],
    ],
    end: [
      ['I', 'I', 'diff'],
      ['I', 'O', 'any'],
      ['I', 'B', 'any'],
      ['B', 'O', 'any'],
      ['B', 'I', 'diff'],
      ['B', 'B', 'same'],
    ],
  },
  iob2: {
    allowed: 'IOB',
    start: [[ANY, 'B', 'any']],
    inside: [
      ['B', 'I', 'same'],
      ['I', 'I', 'same'],
    ],
    end: [
      ['I', 'O', 'any'],
      ['I', 'I', 'diff'],
      ['I', 'B', 'any'],
      ['B', 'O', 'any'],
      ['B', 'I', 'diff'],
      ['B', 'B', 'any'],
    ],
  },
  ioe: {
    allowed: 'IOE',
    start: [
      ['O', 'I', 'any'],
      ['O', 'E', 'any'],
      ['E', 'I', 'any'],
      ['E', 'E', 'any'],
      ['I', 'I', 'diff'],
      ['I', 'E', 'diff'],
    ],
    inside: [
      ['I', 'E', 'same'],
      ['I', 'I', 'same'],
    ],
    end: [['E', ANY, 'any']],
  },
  bioes: {
    allowed: 'IOBES',
    start: [
      [ANY, 'B', 'any'],
      [ANY, 'S', 'any'],
    ],
    inside: [
      ['B', 'I', 'same'],
      ['B', 'E', 'same'],
      ['I', 'I', 'same'],
      ['I', 'E', 'same'],
    ],
    end: [
      ['S', ANY, 'any'],
      ['E', ANY, 'any'],
    ],
  },
};

interface StrictTag {
  prefix: Prefix;
  /** seqeval's tag: the text after the prefix with `-` stripped, `_` when empty (so `O` has `_`). */
  type: string;
}

const OUTSIDE: StrictTag = { prefix: 'O', type: '_' };

function matches(rules: readonly Rule[], prev: StrictTag, cur: StrictTag): boolean {
  return rules.some(
    ([p, c, types]) =>
      p.includes(prev.prefix) &&
      c.includes(cur.prefix) &&
      (types === 'any' || (types === 'same') === (prev.type === cur.type)),
  );
}

function toStrictTag(tag: string, scheme: TagScheme, where: string): StrictTag {
  const prefix = tag[0] as Prefix;
  if (!STRICT_SCHEMES[scheme].allowed.includes(prefix)) throw textErrors.tagNotAllowedInScheme(tag, scheme, where);
  return { prefix, type: tag.slice(1).replace(/^-+|-+$/g, '') || '_' };
}

/**
 * Chunks of one sentence as seqeval's strict mode finds them for `scheme`: a chunk needs a start tag, same-type
 * inside tags and a proper end; tokens that fit none of that belong to no chunk (`O I-X` in IOB2 makes nothing).
 * A tag whose prefix the scheme does not use throws TEXT_TAG_NOT_ALLOWED, naming `where(index)`.
 */
export function strictSpans(tags: readonly string[], scheme: TagScheme, where: (index: number) => string): Span[] {
  const rules = STRICT_SCHEMES[scheme];
  const tokens = tags.map((tag, i) => toStrictTag(tag, scheme, where(i)));
  tokens.push(OUTSIDE);
  const spans: Span[] = [];
  let prev = OUTSIDE;
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (matches(rules.start, prev, token)) {
      let end = i + 1;
      let last = token;
      while (end < tokens.length && matches(rules.inside, last, tokens[end])) {
        last = tokens[end];
        end++;
      }
      if (end < tokens.length && matches(rules.end, tokens[end - 1], tokens[end])) {
        spans.push({ type: token.type, start: i, end });
      }
      i = end;
    } else {
      i++;
    }
    prev = tokens[i - 1];
  }
  return spans;
}
