import type { TaggedCorpus } from '@lookright/core';

/** Which label sequences a tag scheme admits, as start / pair / end permissions over label ids. */
export interface AllowedTransitions {
  /** `start[j]`: a sentence may begin with label j. */
  start: boolean[];
  /** `pair[i][j]`: label j may follow label i. */
  pair: boolean[][];
  /** `end[i]`: a sentence may end with label i. */
  end: boolean[];
}

type Scheme = TaggedCorpus['scheme'];

interface Tag {
  prefix: string;
  type: string;
}

function parseTag(label: string): Tag {
  if (label === 'O') return { prefix: 'O', type: '' };
  const dash = label.indexOf('-');
  return dash < 0 ? { prefix: label, type: '' } : { prefix: label.slice(0, dash), type: label.slice(dash + 1) };
}

const inside = (t: Tag) => t.prefix === 'I' || t.prefix === 'B';

/** IOB2: I-X only after B-X or I-X; never first. */
function iob2(from: Tag | null, to: Tag): boolean {
  if (to.prefix !== 'I') return true;
  return from !== null && inside(from) && from.type === to.type;
}

/** IOB1: B-X only directly after a chunk of type X (it separates two adjacent chunks); I-X anywhere. */
function iob1(from: Tag | null, to: Tag): boolean {
  if (to.prefix !== 'B') return true;
  return from !== null && inside(from) && from.type === to.type;
}

/** BIOES: inside a chunk (after B/I) only I/E of the same type may follow; outside, only O/B/S. */
function bioes(from: Tag | null, to: Tag): boolean {
  const open = from !== null && (from.prefix === 'B' || from.prefix === 'I');
  if (open) return (to.prefix === 'I' || to.prefix === 'E') && to.type === from.type;
  return to.prefix === 'O' || to.prefix === 'B' || to.prefix === 'S';
}

const rules: Record<Scheme, (from: Tag | null, to: Tag) => boolean> = {
  iob2,
  iob1,
  bioes,
  none: () => true,
};

/** The transitions a scheme allows between `labels` (scheme `none` allows all). */
export function allowedTransitions(labels: readonly string[], scheme: Scheme): AllowedTransitions {
  const tags = labels.map(parseTag);
  const rule = rules[scheme];
  return {
    start: tags.map((t) => rule(null, t)),
    pair: tags.map((from) => tags.map((to) => rule(from, to))),
    end: tags.map((t) => scheme !== 'bioes' || !(t.prefix === 'B' || t.prefix === 'I')),
  };
}

/** Index of the first transition in `path` the scheme forbids, or -1 (index 0 = the start, path.length = the end). */
export function firstForbiddenStep(path: readonly number[], allowed: AllowedTransitions): number {
  if (path.length === 0) return -1;
  if (!allowed.start[path[0]]) return 0;
  for (let i = 1; i < path.length; i++) if (!allowed.pair[path[i - 1]][path[i]]) return i;
  return allowed.end[path[path.length - 1]] ? -1 : path.length;
}
