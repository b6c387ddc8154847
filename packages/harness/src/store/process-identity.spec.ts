import assert from 'node:assert/strict';
import { commandLineHas, pidRunning } from './process-identity.js';

describe('process identity', () => {
  it('takes only a positive PID for one running process (0 and -1 address process groups)', () => {
    assert.equal(pidRunning(process.pid), true);
    assert.equal(pidRunning(0), false);
    assert.equal(pidRunning(-1), false);
    assert.equal(pidRunning(Number.NaN), false);
  });

  it('finds an argument on a process’s command line', () => {
    assert.equal(commandLineHas(process.pid, process.argv[1]), true);
    assert.equal(commandLineHas(process.pid, 'no-such-argument'), false);
    assert.equal(commandLineHas(0, process.argv[1]), false);
  });
});
