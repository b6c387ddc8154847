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

/**
 * One line per pre-training cell of the suite: its status and, once FINISHED, the final training loss and the
 * validation loss before and after pre-training (from its pretrain.json, as recorded in the store).
 */
export function pretrainSummaryLines(store: RunStore, suiteName: string): string[] {
  return store.queries.pretrainCells(suiteName).map((cell) => {
    const m = cell.metrics;
    const recipe = cell.config.recipe;
    const what = `pre-training ${cell.hash.slice(0, 10)} ${cell.labels.backbone} (${recipe.objective}, ${recipe.size}, ${recipe.steps} steps)`;
    if (cell.status !== 'FINISHED') return `${what}: ${cell.status}`;
    const f = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(3));
    return `${what}: final loss ${f(m.finalLoss)}, validation loss ${f(m.validationLossBefore)} -> ${f(m.validationLossAfter)}`;
  });
}
