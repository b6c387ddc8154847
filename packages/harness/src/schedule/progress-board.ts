import type { SuiteCell } from '../expand/pretrain-cells.js';
import { formatDuration as duration } from './format-duration.js';
import type { CellOutcome, ScheduleListener } from './scheduler.js';

export function cellName(cell: SuiteCell): string {
  const l = cell.labels;
  const input = l.input === undefined ? '' : `${l.input} × `;
  return `${l.backbone} × ${l.mask} × ${input}${l.dataset} × ${l.head} × seed ${l.seed} [${cell.hash.slice(0, 10)}]`;
}

/**
 * The overview printed while a suite runs: cells done / running / failed of the total and an ETA from the mean
 * duration of the cells finished so far, as plain lines (they read the same in a terminal, a pipe or a CI log).
 * A failed cell is shown with its error and the path to its log.
 */
export class ProgressBoard implements ScheduleListener {
  private done = 0;
  private failed = 0;
  private skipped = 0;
  private blocked = 0;
  private readonly running = new Map<string, number>();
  private readonly durations: number[] = [];
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly total: number,
    private readonly workers: number,
    private readonly print: (line: string) => void,
    tickSeconds = 30,
  ) {
    if (tickSeconds > 0) {
      this.ticker = setInterval(() => this.running.size && this.print(this.tick()), tickSeconds * 1000);
      this.ticker.unref();
    }
  }

  cellStarted(cell: SuiteCell, info: { attemptId: number; reason: string; logPath: string }): void {
    this.running.set(cell.hash, Date.now());
    const why = info.reason === 'new' ? '' : ` (${info.reason})`;
    this.print(`${this.status()} start ${cellName(cell)}${why}`);
  }

  cellEnded(cell: SuiteCell, outcome: CellOutcome): void {
    this.running.delete(cell.hash);
    if (outcome.status === 'SKIPPED') {
      this.skipped++;
      this.print(`${this.status()} skip ${cellName(cell)}: ${outcome.reason}`);
      return;
    }
    this.durations.push(outcome.seconds);
    if (outcome.status === 'FINISHED') {
      this.done++;
      this.print(`${this.status()} done ${cellName(cell)} in ${duration(outcome.seconds)}`);
    } else {
      this.failed++;
      this.print(`${this.status()} FAILED ${cellName(cell)}: ${outcome.code}: ${outcome.message}`);
      this.print(`  log: ${outcome.logPath}`);
    }
  }

  /** Counts a cell that will not run (its pre-training cell did not finish; runSuite prints why). */
  cellBlocked(_cell: SuiteCell): void {
    this.blocked++;
  }

  /** `[done/total done, R running, F failed, ETA ...]`, with `, B blocked` after failed when cells were blocked. */
  status(): string {
    const remaining = this.total - this.done - this.failed - this.skipped - this.blocked;
    const mean = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : Number.NaN;
    const eta = remaining === 0 ? 0 : mean * Math.ceil(remaining / this.workers);
    return `[${this.done}/${this.total} done, ${this.running.size} running, ${this.failed} failed${this.blocked ? `, ${this.blocked} blocked` : ''}, ETA ${duration(eta)}]`;
  }

  /** The periodic line: status plus how long the running cells have been at it. */
  tick(): string {
    const ages = [...this.running.values()].map((start) => duration((Date.now() - start) / 1000));
    return `${this.status()} running for ${ages.join(', ')}`;
  }

  close(): void {
    clearInterval(this.ticker);
  }
}
