import assert from 'node:assert/strict';
import { CellSlots } from './cell-slots.js';

describe('CellSlots', () => {
  it('lets at most size holders in, says when it fills and frees, and hands a freed slot to the first waiter', async () => {
    const changes: boolean[] = [];
    const slots = new CellSlots(2, (full) => changes.push(full));
    await slots.acquire();
    assert.equal(slots.full, false);
    await slots.acquire();
    assert.equal(slots.full, true);
    const order: string[] = [];
    const third = slots.acquire().then(() => order.push('third'));
    const fourth = slots.acquire().then(() => order.push('fourth'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], 'nobody past a full gate');
    slots.release();
    await third;
    assert.deepEqual(order, ['third']);
    assert.deepEqual(changes, [true], 'a slot handed over keeps it full');
    slots.release();
    await fourth;
    slots.release();
    slots.release();
    assert.equal(slots.full, false);
    assert.deepEqual(changes, [true, false]);
  });
});
