import { textErrors } from '../errors.js';
import type { TagScheme } from '../tags/tag.js';
import { type EvaluationOptions, evaluateTags } from './evaluate.js';
import { readPredictionFile } from './prediction-file.js';
import type { MetricsReport } from './scores.js';

/** The scorers `eval-predictions --scheme` names: conlleval.pl itself, or a tag scheme for seqeval. */
export type ScorerScheme = 'conlleval' | TagScheme;

/**
 * Maps the CLI's `--scheme` and `--mode` to a scorer: `conlleval` is conlleval.pl's counting (lenient only);
 * a tag scheme with `default` is seqeval's default mode, with `strict` seqeval's strict mode for that scheme.
 */
export function evaluationOptionsFor(scheme: ScorerScheme, mode: 'default' | 'strict' = 'default'): EvaluationOptions {
  if (scheme === 'conlleval') {
    if (mode === 'strict') throw textErrors.strictNeedsScheme();
    return { mode: 'conlleval' };
  }
  return mode === 'strict' ? { mode: 'strict', scheme } : { mode: 'default' };
}

/** Reads a conlleval-format prediction file and scores it (see readPredictionFile, evaluateTags). */
export function evaluatePredictionFile(path: string, options: EvaluationOptions): MetricsReport {
  const file = readPredictionFile(path);
  return evaluateTags(file.sentences, options, file.path);
}
