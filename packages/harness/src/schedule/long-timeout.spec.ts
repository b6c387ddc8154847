import assert from 'node:assert/strict';
import { maxTimerMs, setLongTimeout } from './long-timeout.js';

describe('setLongTimeout', () => {
  it('fires after a short delay, and can be cancelled', async () => {
    let fired = 0;
    await new Promise<void>((resolve) => setLongTimeout(resolve, 5));
    const cancel = setLongTimeout(() => fired++, 5);
    cancel();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fired, 0);
  });

  it('does not fire early for a delay past Node’s timer limit (which plain setTimeout turns into 1 ms)', async () => {
    let fired = false;
    const cancel = setLongTimeout(() => {
      fired = true;
    }, maxTimerMs + 1_000_000);
    await new Promise((r) => setTimeout(r, 50));
    cancel();
    assert.equal(fired, false);
  });
});
