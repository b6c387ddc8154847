import { LookrightError } from '@lookright/core';

/** Whether --debug was given anywhere on the command line (stack traces are shown only then). */
export const debugRequested = (argv: readonly string[] = process.argv) => argv.includes('--debug');

/** Prints an error for a person: message and hint, no stack unless --debug. Returns the exit code. */
export function reportError(error: unknown, debug = debugRequested()): number {
  if (error instanceof LookrightError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
  } else {
    process.stderr.write(`internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (!debug) process.stderr.write('hint: run again with --debug for the stack trace, and report it.\n');
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}

/** Wraps a command action so every failure ends in reportError and a non-zero exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
