import { harnessErrors } from '../errors.js';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import type { CellDependencies } from './scheduler.js';

/**
 * A job's cells in their order, each handed out once it may start: a cell that waits for another cell of the job
 * (see CellDependencies) stays queued until that cell ended, and is then released — or left unrun as blocked. A
 * free worker takes the first cell in order that may start, so a fine-tuning cell starts as soon as its own
 * pre-training cell finished, not after every pre-training cell.
 */
export class DependentQueue {
  private readonly queued: SuiteCell[];
  /** Hashes of the job's cells that have not ended (queued or running). */
  private readonly unended: Set<string>;
  private running = 0;
  private waiters: (() => void)[] = [];
  /** Cells `release` refused (left unrun). */
  blocked = 0;

  constructor(
    cells: readonly SuiteCell[],
    private readonly dependencies?: CellDependencies,
    private readonly onBlocked: (cell: SuiteCell) => void = () => {},
  ) {
    this.queued = [...cells];
    this.unended = new Set(cells.map((c) => c.hash));
  }

  /** Cells not handed out yet (waiting or ready). */
  get size(): number {
    return this.queued.length;
  }

  /**
   * The first queued cell that may start (released by the job's dependencies when it waited for one), counted as
   * running until `ended`; undefined when none may start before a running cell ends (or none is left).
   */
  take(): SuiteCell | undefined {
    for (let i = 0; i < this.queued.length; ) {
      const cell = this.queued[i];
      const dependency = this.dependencies?.of(cell);
      if (dependency !== undefined && this.unended.has(dependency)) {
        i++;
        continue;
      }
      this.queued.splice(i, 1);
      const released = dependency === undefined ? cell : this.dependencies?.release(cell);
      if (!released) {
        this.blocked++;
        this.unended.delete(cell.hash);
        this.onBlocked(cell);
        continue;
      }
      this.running++;
      return released;
    }
    if (this.queued.length && this.running === 0)
      throw harnessErrors.cellDependencyCycle(this.queued.map((c) => c.hash));
    return undefined;
  }

  /** Records that a cell `take` handed out ended (however it ended), releasing the cells that waited for it. */
  ended(hash: string): void {
    this.running--;
    this.unended.delete(hash);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when a running cell next ends (after `take` returned undefined with cells still queued). */
  nextEnd(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
