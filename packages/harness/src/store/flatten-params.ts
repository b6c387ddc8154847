/**
 * Flattens a nested config into `a.b.c` keys with string values (JSON for non-strings), the shape MLflow params
 * and the store's params table take. Arrays of scalars stay one JSON value; arrays of objects are indexed.
 */
export function flattenParams(value: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (v: unknown, key: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0 && key) out[key] = '{}';
      for (const [k, child] of entries) visit(child, key ? `${key}.${k}` : k);
    } else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === 'object')) {
      v.forEach((child, i) => {
        visit(child, `${key}.${i}`);
      });
    } else if (v !== undefined) {
      out[key] = typeof v === 'string' ? v : JSON.stringify(v);
    }
  };
  visit(value, prefix);
  return out;
}
