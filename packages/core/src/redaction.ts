/** `scheme://user:password@`: the user-info part of a URL, up to the last `@` before the host (as URL parsers read it). */
const urlUserInfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/**
 * Text with the user and password of every URL in it replaced by `***` (`http://***@host:5000/`), safe to print,
 * log or store. Text without credentials comes back unchanged.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(urlUserInfo, '$1***@');
}

/** A copy of plain JSON-like data with redactUrlCredentials applied to every string in it (keys are kept). */
export function redactUrlCredentialsIn<T>(value: T): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactUrlCredentialsIn(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, redactUrlCredentialsIn(item)]),
    ) as T;
  }
  return value;
}
