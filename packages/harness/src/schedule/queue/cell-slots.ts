/**
 * At most `size` cells at once in one worker process, across every queue it consumes. `onFull(true)` is called
 * when the last slot is taken and `onFull(false)` when one frees again, so the worker can stop fetching jobs it
 * could not start (a fetched job is locked to this worker, out of other workers' reach).
 */
export class CellSlots {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly size: number,
    private readonly onFull: (full: boolean) => void = () => {},
  ) {}

  /** Whether every slot is taken. */
  get full(): boolean {
    return this.busy >= this.size;
  }

  /** Waits for a free slot and takes it. */
  async acquire(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      if (this.busy === this.size) this.onFull(true);
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Frees a slot: hands it to the longest waiter, or else counts it free. */
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.busy--;
    if (this.busy === this.size - 1) this.onFull(false);
  }
}
