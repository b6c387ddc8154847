import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import type { RunObserver } from '../tracking/run-observer.js';

describe('run observers', function () {
  this.timeout(120_000);

  it('see the execution start, every cell end and the execution end, and can queue outbox events; the runner note prints once', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1] });
    const events: string[] = [];
    const printed: string[] = [];
    const observer: RunObserver = {
      executionStarted: ({ store, executionId, cells }) => {
        events.push(`start ${cells.length}`);
        store.outbox.enqueue({ kind: 'execution.start', executionId, payload: {} });
      },
      cellEnded: (cell, outcome) => events.push(`${cell.labels.mask} ${outcome.status}`),
      executionEnded: ({ store, summary }) => {
        events.push(`end ${summary.finished}`);
        assert.equal(store.outbox.pendingCount(), 1);
      },
    };
    await runTestSuite(file, join(dir, 'runs'), {
      workers: 1,
      print: (line) => printed.push(line),
      observers: [observer],
    });
    assert.deepEqual(events, ['start 2', 'causal FINISHED', 'groups:01 FINISHED', 'end 2']);
    assert.equal(printed.filter((l) => l === 'runner:test-cpu runs no tfjs').length, 1, "the runner's note, once");
  });
});
