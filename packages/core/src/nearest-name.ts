/** Edit distance between two strings (Levenshtein, unit costs). */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The candidate closest to `name`, or undefined when nothing is reasonably close.
 * A candidate whose part after the namespace equals the name's (`groups` vs `mask:groups`) always wins.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const bare = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
  const sameTail = candidates.find((c) => c.slice(c.indexOf(':') + 1) === bare);
  if (sameTail) return sameTail;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, Math.floor(name.length / 2)) ? best : undefined;
}
