import { existsSync, readFileSync } from 'node:fs';
import {
  type EvaluationOptions,
  evaluateTags,
  isTag,
  readPredictionFile,
  type TagScheme,
  tagSchemes,
} from '@lookright/text';
import { harnessErrors } from '../errors.js';
import type { RunStore } from '../store/run-store.js';
import type { SentenceCounts } from './bootstrap.js';

/** One finished cell, as a report sees it. */
export interface ResultRow {
  cellHash: string;
  backbone: string;
  mask: string;
  dataset: string;
  head: string;
  /** The input transform's label, for cells of a suite with an `input` axis. */
  input?: string;
  seed: number;
  /** The score the report compares, e.g. `test.f1`. */
  score: number;
  /** Every final metric of the cell. */
  metrics: Record<string, number>;
  /** Test predictions in conlleval format, when the cell wrote them. */
  predictionsPath?: string;
  /** How the cell scored its test predictions (from its metrics.json), when recorded. */
  scoring?: EvaluationOptions;
  /** The layer masks the cell trained with, one character per layer (0 causal, 1 bidirectional, w window). */
  layers?: string;
  /**
   * `accuracy` when the report asked for test F1 but the cell's tags mark no spans (POS: F1 is undefined there),
   * so `score` is its token accuracy (`test.accuracy`); absent when `score` is the metric asked for.
   */
  measure?: 'accuracy';
}

/** The default metric; for a tag set without spans it stands for token accuracy (see ResultRow.measure). */
export const DEFAULT_METRIC = 'test.f1';

/** What a cell's metrics.json artifact says about its mask and test scorer; empty for a store that lacks it. */
function cellRecord(
  cellHash: string,
  path: string | undefined,
): Pick<ResultRow, 'scoring' | 'layers'> & { spanless?: boolean } {
  if (!path || !existsSync(path)) return {};
  let json: { maskSpecs?: unknown; labels?: unknown; test?: { scorer?: unknown; scheme?: unknown } };
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw harnessErrors.reportArtifactUnreadable(cellHash, path, (error as Error).message);
  }
  const { scorer, scheme } = json.test ?? {};
  const scoring: EvaluationOptions | undefined =
    scorer === 'seqeval-strict' && tagSchemes.includes(scheme as TagScheme)
      ? { mode: 'strict', scheme: scheme as TagScheme }
      : scorer === 'seqeval-default'
        ? { mode: 'default' }
        : scorer === 'conlleval'
          ? { mode: 'conlleval' }
          : undefined;
  const layers = typeof json.maskSpecs === 'string' && /^[01w]+$/.test(json.maskSpecs) ? json.maskSpecs : undefined;
  // a label set with a tag that is neither O nor B-/I-/E-/S-TYPE (UPOS's PRON) marks no spans
  const spanless = Array.isArray(json.labels) && json.labels.some((label) => !isTag(String(label)));
  return { ...(scoring && { scoring }), ...(layers && { layers }), ...(spanless && { spanless }) };
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
    const { spanless, ...record } = cellRecord(cell.hash, cell.artifacts.find((a) => a.name === 'metrics')?.path);
    const byAccuracy = spanless === true && metric === DEFAULT_METRIC;
    const score = cell.metrics[byAccuracy ? 'test.accuracy' : metric];
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
      ...record,
      ...(byAccuracy && { measure: 'accuracy' as const }),
    });
  }
  return { rows, missing };
}

/**
 * Per-sentence span counts of a predictions file under the cell's own scorer (seqeval's default reading when the
 * store does not record it), for the paired bootstrap. With `measure` accuracy, each sentence counts its correct
 * tokens as tp and its tokens as both pred and gold, so the pooled micro F1 2·tp/(pred + gold) is token accuracy.
 */
export function sentenceCounts(
  path: string,
  scoring: EvaluationOptions = { mode: 'default' },
  measure?: ResultRow['measure'],
): SentenceCounts[] {
  if (measure === 'accuracy') {
    return readPredictionFile(path, 'plain').sentences.map(({ gold, pred }) => ({
      tp: gold.filter((tag, i) => tag === pred[i]).length,
      pred: gold.length,
      gold: gold.length,
    }));
  }
  return readPredictionFile(path).sentences.map((sentence) => {
    const { counts } = evaluateTags([sentence], scoring);
    return { tp: counts.correct, pred: counts.predicted, gold: counts.gold };
  });
}
