import assert from 'node:assert/strict';
import { faultSweep } from '../../testing/fault-sweep.js';
import { requireRedisServer } from '../../testing/redis-server.js';

/**
 * A short fault sweep (benchmarks/fault-sweep runs ≥ 20 rounds): kill -9 of the harness, a worker or Redis at
 * seeded moments; after each round every cell is FINISHED once with the undisturbed numbers and exactly one MLflow
 * child run, FINISHED (faultSweep throws otherwise; the rounds' counts are asserted here too).
 * The seed is fixed so that the rounds cover every target.
 */
describe('fault sweep (kill -9 at seeded moments)', function () {
  this.timeout(600_000);

  it('over the queue: harness, worker and Redis kills lose nothing and run nothing twice', async function () {
    requireRedisServer(this);
    const rounds = await faultSweep({
      scheduler: 'queue',
      log: console.log,
      rounds: 3,
      seed: 7,
      seeds: [1],
      maxKillMs: 2500,
    });
    assert.equal(rounds.length, 3);
    assert.deepEqual(new Set(rounds.map((r) => r.target)), new Set(['harness', 'worker', 'redis']));
    // A killed harness is run again, and a killed worker never stops the harness. A Redis kill stops it only when
    // it lands while the harness is still starting: the harness then refuses to start (QUEUE_UNREACHABLE, as it
    // should with Redis down) and the sweep runs it again; once connected, it rides out the restart.
    for (const r of rounds) {
      const expected = r.target === 'harness' ? [2] : r.target === 'worker' ? [1] : [1, 2];
      assert.ok(expected.includes(r.harnessRuns), `round ${r.round}: ${r.target} kill, ${r.harnessRuns} harness runs`);
      assert.equal(r.mlflowChildRuns, r.cells, `round ${r.round}: MLflow child runs`);
    }
    // the workers reach the same MLflow server: cells' files travel as artifacts of their runs, checked on arrival
    assert.ok(rounds.some((r) => r.filesThroughMlflow > 0));
  });

  it('over the local pool: harness and cell-worker kills lose nothing and run nothing twice', async () => {
    const rounds = await faultSweep({
      scheduler: 'local',
      log: console.log,
      rounds: 2,
      seed: 2,
      seeds: [1],
      maxKillMs: 1500,
    });
    assert.deepEqual(new Set(rounds.map((r) => r.target)), new Set(['harness', 'worker']));
    // both kills hit: a killed harness is run again, and so is one whose cell worker was killed (that cell FAILED)
    assert.ok(rounds.every((r) => r.harnessRuns === 2));
    for (const r of rounds) assert.equal(r.mlflowChildRuns, r.cells, `round ${r.round}: MLflow child runs`);
  });
});
