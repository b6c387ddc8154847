import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who owns a claim: a process on a host, with its start time so a reused PID is not mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** Process start time in clock ticks since boot (Linux /proc/<pid>/stat field 22), or '' where unknown. */
  start: string;
}

/** Fields 3.. of /proc/<pid>/stat (state first), or undefined where unreadable. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses; fields after its closing ')' are plain
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const startTimeOf = (pid: number) => statFields(pid)?.[19];

/**
 * Whether a PID names a running process: it exists and is not a zombie (exited, not yet reaped). Only positive
 * whole numbers name one process (0 and negative PIDs address process groups, which signal 0 would reach).
 */
export function pidRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const state = statFields(pid)?.[0];
  return state !== 'Z' && state !== 'X';
}

/** The identity of a process of this host (its start time '' where /proc is unreadable). */
export function processIdentity(pid: number): ProcessIdentity {
  return { pid, host: hostname(), start: startTimeOf(pid) ?? '' };
}

/** This process's identity. */
export function currentProcess(): ProcessIdentity {
  return processIdentity(process.pid);
}

/** Whether a running process of this host has `marker` among its command-line arguments (false where unreadable). */
export function commandLineHas(pid: number, marker: string): boolean {
  if (!pidRunning(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
  } catch {
    return false;
  }
}

/**
 * Whether the identified process still runs. Another host's process is assumed alive (it cannot be checked
 * from here). On this host: the PID must run (a zombie does not) and, where /proc is readable, have the same
 * start time.
 */
export function isAlive(owner: ProcessIdentity): boolean {
  if (owner.host !== hostname()) return true;
  if (!pidRunning(owner.pid)) return false;
  const start = startTimeOf(owner.pid);
  return owner.start === '' || start === undefined || start === owner.start;
}
