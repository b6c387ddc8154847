import { existsSync } from 'node:fs';
import { evaluateTags, readPredictionFile } from '@lookright/text';
import type { RunStore } from '../store/run-store.js';
import type { SentenceCounts } from './statistics.js';

/** One finished cell, as a report sees it. */
export interface ResultRow {
  cellHash: string;
  backbone: string;
  mask: string;
  dataset: string;
  head: string;
  seed: number;
  /** The score the report compares, e.g. `test.f1`. */
  score: number;
  /** Every final metric of the cell. */
  metrics: Record<string, number>;
  /** Test predictions in conlleval format, when the cell wrote them. */
  predictionsPath?: string;
}

/** The finished cells of a suite with the chosen metric; cells without it are listed as missing. */
export function collectResults(
  store: RunStore,
  suiteName: string,
  metric: string,
): { rows: ResultRow[]; missing: string[] } {
  const rows: ResultRow[] = [];
  const missing: string[] = [];
  for (const cell of store.queries.suiteCells(suiteName)) {
    if (cell.status !== 'FINISHED') continue;
    const score = cell.metrics[metric];
    if (score === undefined) {
      missing.push(cell.hash);
      continue;
    }
    const predictions = cell.artifacts.find((a) => /test/.test(a.name) && /pred/.test(a.name));
    rows.push({
      cellHash: cell.hash,
      ...cell.labels,
      score,
      metrics: cell.metrics,
      ...(predictions && existsSync(predictions.path) && { predictionsPath: predictions.path }),
    });
  }
  return { rows, missing };
}

/** Per-sentence span counts of a predictions file (seqeval default reading), for the paired bootstrap. */
export function sentenceCounts(path: string): SentenceCounts[] {
  return readPredictionFile(path).sentences.map((sentence) => {
    const { counts } = evaluateTags([sentence], { mode: 'default' });
    return { tp: counts.correct, pred: counts.predicted, gold: counts.gold };
  });
}
