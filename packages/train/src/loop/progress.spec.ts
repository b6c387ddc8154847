import assert from 'node:assert/strict';
import { plainProgress } from './progress.js';

describe('training progress', () => {
  it('off a terminal, prints plain lines every N steps and at the last, with loss, tokens/s and ETA', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = plainProgress({ totalSteps: 25, startStep: 0, every: 10, log: (l) => lines.push(l) }, () => clock);
    for (let step = 1; step <= 25; step++) {
      clock += 2000;
      progress.update({ step, loss: 1 / step, learningRate: 2e-4, tokensPerSecond: 500 });
    }
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'step 10/25 loss 0.1000 lr 2.00e-4 500 tok/s eta 0m30s');
    assert.match(lines[2], /^step 25\/25 .* eta 0m0s$/);
  });
});
