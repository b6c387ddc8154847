/**
 * Perl's (glibc's) `%.2f`: the exact binary value rounded to 2 decimals, exact ties to even. JavaScript's toFixed
 * rounds exact ties up; a double lies exactly half-way between two 2-decimal numbers only when 8x is an odd
 * integer (x = n + 0.125, 0.375, 0.625, 0.875), so only those need fixing.
 */
export function fixed2(value: number): string {
  const eighths = value * 8;
  const tie = Number.isInteger(eighths) && Math.abs(eighths) % 2 === 1 && Math.abs(value) < 2 ** 40;
  if (!tie) return value.toFixed(2);
  const hundredths = value * 100; // exact: n + 0.5
  const down = Math.floor(hundredths);
  const even = down % 2 === 0 ? down : down + 1;
  return (even / 100).toFixed(2);
}

/** Perl's `%6.2f`: fixed2 right-aligned in 6 characters. */
export function perlPercent(value: number): string {
  return fixed2(value).padStart(6, ' ');
}
