import { hostname } from 'node:os';
import type { RunStore } from '../store/run-store.js';

/**
 * The closing line of a run: how many of the suite's cells are FINISHED and FAILED, and, so that a partial
 * result is never presented as whole, how many still run under another harness (with its PID, and host when not
 * this one) or were never started.
 */
export function suiteSummaryLine(store: RunStore, suite: { id: number; name: string; cells: number }): string {
  const counts = store.statusCounts(suite.id);
  const parts = [`${counts.FINISHED}/${suite.cells} FINISHED`, `${counts.FAILED} FAILED`];
  const owners = store.queries.runningOwners(suite.id);
  if (counts.RUNNING) {
    const who = owners.map((o) => `pid ${o.pid}${o.host === hostname() ? '' : ` on ${o.host}`}`).join(', ');
    const where = owners.length === 1 ? 'another harness' : 'other harnesses';
    parts.push(`${counts.RUNNING} RUNNING in ${where} (${who})`);
  }
  if (counts.PENDING) parts.push(`${counts.PENDING} not started`);
  const hint = counts.FAILED ? ' (run again to retry the failed cells)' : '';
  return `suite ${suite.name}: ${parts.join(', ')}${hint}`;
}
