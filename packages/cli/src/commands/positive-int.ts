import { InvalidArgumentError } from '@commander-js/extra-typings';

/** A commander parser for a flag taking a whole number from 1 up. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${value}`);
    return n;
  };
}
