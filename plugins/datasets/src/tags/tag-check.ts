/** Tag schemes a file can be written in. `none` is for POS-like tags without spans. */
export type SourceScheme = 'iob1' | 'iob2' | 'bioes' | 'none';

const prefixesOf: Record<Exclude<SourceScheme, 'none'>, string> = { iob1: 'BI', iob2: 'BI', bioes: 'BIES' };

/** What a tag must look like, for error messages. */
export function describeTags(scheme: SourceScheme, labels?: readonly string[]): string {
  if (labels && labels.length > 0) {
    const shown = labels.length > 24 ? `${labels.slice(0, 24).join(', ')}, ...` : labels.join(', ');
    return `one of ${shown}`;
  }
  if (scheme === 'none') return 'a non-empty tag without spaces';
  const prefixes = prefixesOf[scheme].split('').join('/');
  return `O or ${prefixes}-<type> (${scheme.toUpperCase()})`;
}

/**
 * Checks one tag against a scheme and, when given, an explicit label list. Returns undefined when the tag is valid,
 * otherwise the description of what was expected.
 */
export function checkTag(tag: string, scheme: SourceScheme, labels?: ReadonlySet<string>): string | undefined {
  if (labels && labels.size > 0) return labels.has(tag) ? undefined : describeTags(scheme, [...labels]);
  if (tag.length === 0 || /\s/.test(tag)) return describeTags(scheme);
  if (scheme === 'none' || tag === 'O') return undefined;
  const dash = tag.indexOf('-');
  if (dash !== 1 || tag.length < 3 || !prefixesOf[scheme].includes(tag[0])) return describeTags(scheme);
  return undefined;
}

/** The entity type of a span tag (`B-PER` gives `PER`), or undefined for `O` and tags without a type. */
export function typeOf(tag: string): string | undefined {
  return tag.length > 2 && tag[1] === '-' ? tag.slice(2) : undefined;
}

/**
 * Orders a label set for a corpus: `O` first, then by type, and within a type by the scheme's prefix order (B, I, E,
 * S). Tags without a type are sorted plainly. The order is a function of the set only, so it is stable across runs.
 */
export function orderLabels(labels: Iterable<string>, scheme: SourceScheme): string[] {
  const all = [...new Set(labels)];
  if (scheme === 'none') return all.sort();
  const prefixRank = (tag: string) => 'BIES'.indexOf(tag[0]);
  return all.sort((a, b) => {
    if (a === 'O' || b === 'O') return a === 'O' ? (b === 'O' ? 0 : -1) : 1;
    const ta = typeOf(a) ?? a;
    const tb = typeOf(b) ?? b;
    if (ta !== tb) return ta < tb ? -1 : 1;
    return prefixRank(a) - prefixRank(b);
  });
}
