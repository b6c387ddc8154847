/**
 * Tag scheme conversion used by the readers. Kept in one file so the readers depend on one function; it follows
 * the rule in CoNLL-2003's documentation: `I-X` starts a chunk when the previous tag is `O`, of another type, or
 * there is no previous tag; `B-X` always starts one. Expects tags already checked by checkTag.
 * TODO(lead): switch to `iob1ToIob2` from @lookright/text once that package exports it.
 */
export function iob1ToIob2(tags: readonly string[]): string[] {
  const out: string[] = [];
  let previousType: string | undefined;
  for (const tag of tags) {
    if (tag === 'O') {
      out.push(tag);
      previousType = undefined;
      continue;
    }
    const type = tag.slice(2);
    out.push(tag[0] === 'I' && previousType !== type ? `B-${type}` : tag);
    previousType = type;
  }
  return out;
}
