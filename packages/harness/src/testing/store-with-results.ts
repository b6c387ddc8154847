import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cell } from '../expand/cell-types.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';

/**
 * A store holding finished cells of suite `demo` with the given test F1 per mask and seed, plus a small
 * predictions file per cell (causal cells miss every other entity), for report tests.
 */
export function storeWithResults(
  scores: Record<string, number[]>,
  datasets = ['conll'],
): { store: RunStore; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-report-'));
  const store = RunStore.open(join(dir, 'store'));
  const cells: Cell[] = [];
  for (const dataset of datasets) {
    for (const [mask, values] of Object.entries(scores)) {
      values.forEach((_, i) => {
        const labels = { backbone: 'tiny', mask, dataset, head: 'linear', seed: i + 1 };
        cells.push({ hash: `${dataset}-${mask}-${i + 1}`, index: cells.length, labels, config: {} as Cell['config'] });
      });
    }
  }
  const suiteId = store.registerSuite({ name: 'demo', file: '/x/demo.yaml', json: {} }, cells);
  const execution = store.beginExecution(suiteId, currentProcess());
  for (const cell of cells) {
    const claim = store.ledger.claim(cell.hash, execution, currentProcess(), join(dir, `${cell.hash}.log`));
    assert.ok('attemptId' in claim);
    const predictions = join(dir, `${cell.hash}.test.conll`);
    const good = cell.labels.mask !== 'causal';
    writeFileSync(
      predictions,
      Array.from({ length: 30 }, (_, i) => `w${i} B-PER ${good || i % 2 ? 'B-PER' : 'O'}\n\n`).join(''),
    );
    const score = scores[cell.labels.mask][cell.labels.seed - 1];
    store.ledger.finish(cell.hash, claim.attemptId, {
      metrics: { 'test.f1': score, 'dev.f1': score - 0.01 },
      artifacts: [{ name: 'test.predictions', path: predictions }],
    });
  }
  return { store, dir };
}
