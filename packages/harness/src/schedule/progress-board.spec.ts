import assert from 'node:assert/strict';
import { testCells } from '../testing/test-suite.js';
import { ProgressBoard } from './progress-board.js';

describe('ProgressBoard', () => {
  it('counts done, running and failed cells, estimates the rest, and points at a failed cell’s log', async () => {
    const { cells } = await testCells({ seeds: [1, 2] });
    const lines: string[] = [];
    const board = new ProgressBoard(cells.length, 2, (l) => lines.push(l), 0);
    const info = { attemptId: 1, reason: 'new', logPath: '/x/cell.log' };
    board.cellStarted(cells[0], info);
    board.cellStarted(cells[1], info);
    assert.match(board.status(), /^\[0\/4 done, 2 running, 0 failed, ETA \?\]$/);
    board.cellEnded(cells[0], { status: 'FINISHED', seconds: 10 });
    board.cellEnded(cells[1], {
      status: 'FAILED',
      seconds: 30,
      code: 'CELL_CRASHED',
      message: 'boom',
      logPath: '/x/cell.log',
    });
    // two cells left, mean 20 s per cell, two workers: one more round
    assert.equal(board.status(), '[1/4 done, 0 running, 1 failed, ETA 20s]');
    assert.ok(lines.some((l) => l.includes('FAILED') && l.includes('CELL_CRASHED: boom')));
    assert.equal(lines.at(-1), '  log: /x/cell.log');
    board.close();
  });

  it('counts blocked cells as settled: they leave the ETA and show in the status', async () => {
    const { cells } = await testCells({ seeds: [1, 2] });
    const board = new ProgressBoard(cells.length, 2, () => {}, 0);
    board.cellStarted(cells[0], { attemptId: 1, reason: 'new', logPath: '/x/cell.log' });
    board.cellEnded(cells[0], { status: 'FINISHED', seconds: 10 });
    board.cellBlocked(cells[1]);
    board.cellBlocked(cells[2]);
    // one cell left, not two rounds of three
    assert.equal(board.status(), '[1/4 done, 0 running, 0 failed, 2 blocked, ETA 10s]');
    board.close();
  });
});
