import { type ParsedTag, parseTag, type TagPrefix, type TagScheme } from './tag.js';

/** A labelled chunk of one sentence: tokens `start` (inclusive) to `end` (exclusive). */
export interface Span {
  type: string;
  start: number;
  end: number;
}

const OUTSIDE: ParsedTag = { prefix: 'O', type: '' };

/** seqeval's `end_of_chunk`: does the chunk holding `prev` end before `cur`? */
function endsBefore(prev: ParsedTag, cur: ParsedTag): boolean {
  const p = prev.prefix;
  const c = cur.prefix;
  if (p === 'E' || p === 'S') return true;
  if ((p === 'B' || p === 'I') && (c === 'B' || c === 'S' || c === 'O')) return true;
  return p !== 'O' && prev.type !== cur.type;
}

/** seqeval's `start_of_chunk`: does a chunk start at `cur`? */
function startsAt(prev: ParsedTag, cur: ParsedTag): boolean {
  const p = prev.prefix;
  const c = cur.prefix;
  if (c === 'B' || c === 'S') return true;
  if ((p === 'E' || p === 'S' || p === 'O') && (c === 'E' || c === 'I')) return true;
  return c !== 'O' && prev.type !== cur.type;
}

/**
 * Chunks of one sentence read leniently, exactly as seqeval's default mode and conlleval read IOB1/IOB2/IOE
 * tags: `I-X` after `O`, after another type or at the sentence start opens a chunk; `B-X` always opens one; a
 * type change or `O` closes one. BIOES tags are read as seqeval reads them (`E-X`/`S-X` close a chunk).
 */
export function spansFromTags(tags: readonly string[], where = 'tags'): Span[] {
  const spans: Span[] = [];
  let prev = OUTSIDE;
  let begin = 0;
  for (let i = 0; i <= tags.length; i++) {
    const cur = i < tags.length ? parseTag(tags[i], `${where}[${i}]`) : OUTSIDE;
    if (endsBefore(prev, cur)) spans.push({ type: prev.type, start: begin, end: i });
    if (startsAt(prev, cur)) begin = i;
    prev = cur;
  }
  return spans;
}

function prefixFor(scheme: TagScheme, offset: number, length: number, touchesSameTypeBefore: boolean): TagPrefix {
  const first = offset === 0;
  const last = offset === length - 1;
  switch (scheme) {
    case 'iob2':
      return first ? 'B' : 'I';
    case 'iob1':
      return first && touchesSameTypeBefore ? 'B' : 'I';
    case 'ioe':
      return last ? 'E' : 'I';
    case 'bioes':
      if (length === 1) return 'S';
      return first ? 'B' : last ? 'E' : 'I';
  }
}

/**
 * Writes non-overlapping spans (sorted by start) as tags of `scheme` over a sentence of `length` tokens.
 * IOB1 writes `B-X` only where the previous token ends a chunk of the same type.
 */
export function tagsFromSpans(spans: readonly Span[], length: number, scheme: TagScheme): string[] {
  const tags = new Array<string>(length).fill('O');
  let previous: Span | undefined;
  for (const span of spans) {
    const touches = previous !== undefined && previous.end === span.start && previous.type === span.type;
    const size = span.end - span.start;
    for (let k = 0; k < size; k++) {
      const prefix = prefixFor(scheme, k, size, touches);
      tags[span.start + k] = `${prefix}-${span.type}`;
    }
    previous = span;
  }
  return tags;
}
