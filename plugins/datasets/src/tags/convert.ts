import { iob1ToIob2 as textIob1ToIob2 } from '@lookright/text';

/**
 * IOB1 to IOB2 for one sentence, through @lookright/text (the one implementation the metrics also use): `I-X`
 * starts a chunk after `O`, after another type, or at the sentence start; `B-X` always starts one.
 * `where` (the sentence's file:line) names the sentence if a tag is malformed; the readers check tags first.
 */
export function iob1ToIob2(tags: readonly string[], where?: string): string[] {
  return textIob1ToIob2(tags, where);
}
