import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cell } from '../expand/cell-types.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';

/** 100 one-span sentences, the first round(100 · f1) tagged right and the rest with the wrong type: micro F1 = f1. */
function predictionsScoring(f1: number): string {
  const right = Math.round(100 * f1);
  return Array.from({ length: 100 }, (_, i) => `w${i} B-PER ${i < right ? 'B-PER' : 'B-LOC'}\n\n`).join('');
}

/** 100 one-word sentences tagged with POS tags, the first round(100 · accuracy) right: token accuracy = accuracy. */
function predictionsTagging(accuracy: number): string {
  const right = Math.round(100 * accuracy);
  return Array.from({ length: 100 }, (_, i) => `w${i} NOUN ${i < right ? 'NOUN' : 'VERB'}\n\n`).join('');
}

/** The 8-layer mask a label stands for (`groups:01` opens layers 4-7), as the train runner records it; else undefined. */
function layersOf(mask: string): string | undefined {
  if (mask === 'causal') return '00000000';
  if (mask === 'bidirectional') return '11111111';
  const pattern = /^groups:([01]+)$/.exec(mask)?.[1];
  if (!pattern || 8 % pattern.length !== 0) return undefined;
  return [...pattern].map((bit) => bit.repeat(8 / pattern.length)).join('');
}

/**
 * A store holding finished cells of suite `demo` with the given test F1 per mask and seed, a predictions file per
 * cell that reproduces its F1 (for two-decimal scores), and a metrics.json artifact with the scorer and layer mask,
 * as the train runner writes them, for report tests. Datasets named in `posDatasets` are POS tagging: their scores
 * are token accuracies (test.f1 is 0 there, as the train runner records for tags without spans).
 */
export function storeWithResults(
  scores: Record<string, number[]>,
  datasets = ['conll'],
  posDatasets: readonly string[] = [],
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
    const score = scores[cell.labels.mask][cell.labels.seed - 1];
    const pos = posDatasets.includes(cell.labels.dataset);
    const predictions = join(dir, `${cell.hash}.test.conll`);
    writeFileSync(predictions, pos ? predictionsTagging(score) : predictionsScoring(score));
    const layers = layersOf(cell.labels.mask);
    const metricsFile = join(dir, `${cell.hash}.metrics.json`);
    const test = pos
      ? { scorer: 'conlleval', f1: 0, accuracy: score }
      : { scorer: 'seqeval-strict', scheme: 'iob2', f1: score };
    const labels = pos ? ['NOUN', 'VERB'] : ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
    writeFileSync(
      metricsFile,
      JSON.stringify({ maskLabel: cell.labels.mask, ...(layers && { maskSpecs: layers }), labels, test }),
    );
    store.ledger.finish(cell.hash, claim.attemptId, {
      metrics: pos
        ? { 'test.f1': 0, 'test.accuracy': score, 'dev.f1': 0 }
        : { 'test.f1': score, 'dev.f1': score - 0.01 },
      artifacts: [
        { name: 'test.predictions', path: predictions },
        { name: 'metrics', path: metricsFile },
      ],
    });
  }
  return { store, dir };
}
