import { textErrors } from '../errors.js';
import { spansFromTags } from '../tags/spans.js';
import type { TagScheme } from '../tags/tag.js';
import { conllevalCounts, type TagPairs } from './conlleval-counts.js';
import type { PredictionSentence } from './prediction-file.js';
import type { MetricsReport } from './scores.js';
import { reportFromCounts } from './scores.js';
import { spanSetCounts } from './span-counts.js';
import { strictSpans } from './strict-spans.js';

/**
 * How chunks are read from tags:
 * - `conlleval`: conlleval.pl's counting, exactly;
 * - `default`: seqeval's default mode (conlleval-compatible chunk rules, span sets);
 * - `strict`: seqeval's strict mode for `scheme`.
 */
export type EvaluationOptions = { mode: 'conlleval' } | { mode: 'default' } | { mode: 'strict'; scheme: TagScheme };

/** Sentences to score: tag pairs, optionally with the file and lines they came from (for error messages). */
export type ScoredSentence = TagPairs & Partial<Pick<PredictionSentence, 'lines'>>;

function locate(sentences: readonly ScoredSentence[], file: string | undefined) {
  return (sentence: number, token: number): string => {
    const line = sentences[sentence].lines?.[token];
    return line !== undefined && file ? `${file}:${line}` : `${file ?? 'sentence'} #${sentence + 1} token ${token + 1}`;
  };
}

/**
 * Span P/R/F1 (micro and per type) and token accuracy of predicted against gold tags, sentence by sentence.
 * Chunks never cross sentences. Gold and predicted tags of a sentence must have the same length.
 */
export function evaluateTags(
  sentences: readonly ScoredSentence[],
  options: EvaluationOptions,
  file?: string,
): MetricsReport {
  const where = locate(sentences, file);
  sentences.forEach((s, i) => {
    if (s.gold.length !== s.pred.length) throw textErrors.lengthMismatch(where(i, 0), s.gold.length, s.pred.length);
  });
  switch (options.mode) {
    case 'conlleval':
      return reportFromCounts(conllevalCounts(sentences), 'conlleval');
    case 'default':
      return reportFromCounts(
        spanSetCounts(sentences, (tags, i) => spansFromTags(tags, where(i, 0))),
        'seqeval-default',
      );
    case 'strict':
      return reportFromCounts(
        spanSetCounts(sentences, (tags, i) => strictSpans(tags, options.scheme, (t) => where(i, t))),
        'seqeval-strict',
        options.scheme,
      );
  }
}

/**
 * Scores predicted word tags against gold sentences (e.g. a dataset split and splitWordTagPredictions' tags).
 * Every gold sentence needs its predictions; a count mismatch names the sentence's origin.
 */
export function evaluateWordTags(
  gold: readonly { tags: readonly string[]; origin?: string }[],
  predicted: readonly (readonly string[])[],
  options: EvaluationOptions,
): MetricsReport {
  if (gold.length !== predicted.length)
    throw textErrors.lengthMismatch('split (sentences)', gold.length, predicted.length);
  const sentences = gold.map((sentence, i) => {
    if (sentence.tags.length !== predicted[i].length) {
      const where = sentence.origin ?? `sentence #${i + 1}`;
      throw textErrors.lengthMismatch(where, sentence.tags.length, predicted[i].length);
    }
    return { gold: sentence.tags, pred: predicted[i] };
  });
  return evaluateTags(sentences, options);
}
