import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '@lookright/test-support/fixtures';
import { formatConllevalTable } from './conlleval-table.js';
import { type EvaluationOptions, evaluateTags } from './evaluate.js';
import { readPredictionFile } from './prediction-file.js';
import type { MetricsReport, Prf } from './scores.js';

interface SeqevalType extends Prf {
  support: number;
  true: number;
  pred: number;
  tp: number;
}

interface SeqevalExpectation {
  micro: Prf;
  counts: { true: number; pred: number; tp: number };
  accuracy_score: number;
  per_type: Record<string, SeqevalType>;
  averages: Record<'micro avg' | 'macro avg' | 'weighted avg', (Prf & { support: number }) | null>;
}

interface Expected {
  tokens: number;
  conlleval: {
    output: string;
    exact: {
      tokens: number;
      correct_tags: number;
      per_type: Record<string, { gold: number; found: number; correct: number }>;
    };
  };
  [scorer: `seqeval_${string}`]: SeqevalExpectation;
}

const TOLERANCE = 1e-9;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${what}: ${actual} != ${expected}`);
}

function assertPrf(actual: Prf, expected: Prf, what: string): void {
  close(actual.precision, expected.precision, `${what} precision`);
  close(actual.recall, expected.recall, `${what} recall`);
  close(actual.f1, expected.f1, `${what} f1`);
}

function assertSeqeval(report: MetricsReport, expected: SeqevalExpectation, what: string): void {
  assert.deepEqual(
    { true: report.counts.gold, pred: report.counts.predicted, tp: report.counts.correct },
    expected.counts,
    `${what} counts`,
  );
  assertPrf(report, expected.micro, `${what} micro`);
  close(report.accuracy, expected.accuracy_score, `${what} accuracy`);
  assert.deepEqual(Object.keys(report.per_type), Object.keys(expected.per_type), `${what} types`);
  for (const [type, e] of Object.entries(expected.per_type)) {
    const a = report.per_type[type];
    assert.deepEqual([a.support, a.predicted, a.correct], [e.true, e.pred, e.tp], `${what} ${type} counts`);
    assert.equal(a.support, e.support);
    assertPrf(a, e, `${what} ${type}`);
  }
  const { macro, weighted } = report.averages;
  const eMacro = expected.averages['macro avg'];
  // seqeval's NaN (macro average over zero types) is stored as null
  if (eMacro === null || eMacro.precision === null) assert.equal(macro, null, `${what} macro avg`);
  else assertPrf(macro!, eMacro, `${what} macro avg`);
  assertPrf(weighted!, expected.averages['weighted avg']!, `${what} weighted avg`);
}

describe('span metrics against the reference scorers in fixtures/metrics', () => {
  const names = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.txt'));
  const dir = process.env.LOOKRIGHT_FIXTURES_DIR ? join(process.env.LOOKRIGHT_FIXTURES_DIR, 'metrics') : '';
  const files = dir ? names(dir) : [];

  it('finds the fixture files', function () {
    const metricsDir = fixturePath(this, 'metrics');
    assert.ok(names(metricsDir).length >= 7);
  });

  for (const name of files) {
    describe(name, () => {
      let expected: Expected;
      let sentences: ReturnType<typeof readPredictionFile>['sentences'];
      before(function () {
        const path = fixturePath(this, 'metrics', name);
        expected = JSON.parse(readFileSync(path.replace(/\.txt$/, '.expected.json'), 'utf8'));
        sentences = readPredictionFile(path).sentences;
      });

      it('conlleval: same counts and byte-identical output text', () => {
        const report = evaluateTags(sentences, { mode: 'conlleval' });
        assert.equal(report.counts.tokens, expected.conlleval.exact.tokens);
        assert.equal(report.counts.correct_tags, expected.conlleval.exact.correct_tags);
        for (const [type, e] of Object.entries(expected.conlleval.exact.per_type)) {
          const a = report.per_type[type];
          assert.deepEqual([a.support, a.predicted, a.correct], [e.gold, e.found, e.correct], type);
        }
        assert.equal(formatConllevalTable(report), expected.conlleval.output);
      });

      it('every seqeval scorer stored (default, strict IOB2, strict IOB1): counts, micro, per type, averages', () => {
        const keys = Object.keys(expected).filter((k) => k.startsWith('seqeval_'));
        assert.ok(keys.includes('seqeval_default') && keys.includes('seqeval_strict_IOB2'), keys.join());
        for (const key of keys) {
          const strictScheme = /^seqeval_strict_(IOB1|IOB2)$/.exec(key)?.[1];
          assert.ok(key === 'seqeval_default' || strictScheme, `unknown scorer ${key}`);
          const options: EvaluationOptions = strictScheme
            ? { mode: 'strict', scheme: strictScheme === 'IOB1' ? 'iob1' : 'iob2' }
            : { mode: 'default' };
          assertSeqeval(evaluateTags(sentences, options), expected[key as `seqeval_${string}`], key);
        }
      });
    });
  }
});
