import assert from 'node:assert/strict';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import { DependentQueue } from './dependent-queue.js';
import type { CellDependencies } from './scheduler.js';

/** Cells that carry only what the queue reads: a hash (the queue never looks into configs). */
const cell = (hash: string) => ({ hash }) as SuiteCell;

/** `waits[a] = b`: a waits for b; `refuse` lists cells release leaves unrun; releases are recorded. */
function dependencies(waits: Record<string, string>, refuse: string[] = []) {
  const released: string[] = [];
  const deps: CellDependencies = {
    of: (c) => waits[c.hash],
    release: (c) => {
      released.push(c.hash);
      return refuse.includes(c.hash) ? null : ({ ...c, released: true } as unknown as SuiteCell);
    },
  };
  return { deps, released };
}

describe('DependentQueue', () => {
  it('hands out cells in order, skipping those whose dependency has not ended, and releases them when it has', () => {
    const { deps, released } = dependencies({ tuneA: 'preA', tuneB: 'preB' });
    const queue = new DependentQueue(['preA', 'preB', 'tuneB', 'tuneA', 'plain'].map(cell), deps);
    assert.equal(queue.take()?.hash, 'preA');
    assert.equal(queue.take()?.hash, 'preB');
    assert.equal(queue.take()?.hash, 'plain', 'a cell without dependency does not wait');
    assert.equal(queue.take(), undefined, 'both fine-tuning cells wait');
    queue.ended('preB');
    const tuneB = queue.take();
    assert.equal(tuneB?.hash, 'tuneB', 'released while preA still runs');
    assert.equal((tuneB as { released?: boolean }).released, true, 'as release returned it');
    assert.deepEqual(released, ['tuneB']);
    assert.equal(queue.size, 1);
    queue.ended('preA');
    assert.equal(queue.take()?.hash, 'tuneA');
    assert.equal(queue.size, 0);
  });

  it('releases at once a cell whose dependency is not part of the job (finished by an earlier run)', () => {
    const { deps, released } = dependencies({ tune: 'earlier' });
    const queue = new DependentQueue([cell('tune')], deps);
    assert.equal(queue.take()?.hash, 'tune');
    assert.deepEqual(released, ['tune']);
  });

  it('counts a cell release refuses as blocked and never hands it out', () => {
    const { deps } = dependencies({ tune1: 'pre', tune2: 'pre' }, ['tune1', 'tune2']);
    const told: string[] = [];
    const queue = new DependentQueue(['pre', 'tune1', 'tune2'].map(cell), deps, (c) => told.push(c.hash));
    assert.equal(queue.take()?.hash, 'pre');
    queue.ended('pre');
    assert.equal(queue.take(), undefined);
    assert.equal(queue.blocked, 2);
    assert.deepEqual(told, ['tune1', 'tune2'], 'each blocked cell is reported once');
    assert.equal(queue.size, 0);
  });

  it('nextEnd resolves when a running cell ends', async () => {
    const { deps } = dependencies({ tune: 'pre' });
    const queue = new DependentQueue(['pre', 'tune'].map(cell), deps);
    queue.take();
    assert.equal(queue.take(), undefined);
    const woken = queue.nextEnd();
    queue.ended('pre');
    await woken;
    assert.equal(queue.take()?.hash, 'tune');
  });

  it('refuses cells that wait for each other with a typed error instead of waiting forever', () => {
    const { deps } = dependencies({ a: 'b', b: 'a' });
    const queue = new DependentQueue(['a', 'b'].map(cell), deps);
    assert.throws(() => queue.take(), { code: 'CELL_DEPENDENCY_CYCLE', message: /cells a, b wait for cells/ });
  });
});
