import { QueueEvents } from 'bullmq';
import { queuePrefix } from './queue-capability.js';
import { bullConnection, type RedisTarget } from './redis-connection.js';

/**
 * Wakes the harness between two looks at its queues when a job of one of them starts, completes or fails (BullMQ
 * queue events), so a result is recorded when it arrives rather than up to a poll interval later, and the run ends
 * as soon as its last cell does. Events are only a hint: the harness's look at the queues stays what decides.
 */
export class QueueWakeup {
  private readonly events: QueueEvents[] = [];
  private pending = false;
  private wake: (() => void) | undefined;

  constructor(private readonly target: RedisTarget) {}

  /** Listens to the events of one more queue. */
  watch(queueName: string): void {
    // from the start of the stream, so no event is missed while the reader connects (old ones wake it once, harmlessly)
    const events = new QueueEvents(queueName, {
      connection: bullConnection(this.target),
      prefix: queuePrefix,
      lastEventId: '0-0',
    });
    events.on('error', () => {});
    for (const name of ['active', 'completed', 'failed'] as const) events.on(name, () => this.notify());
    this.events.push(events);
  }

  /** Forgets the events seen so far; call just before looking at the queues. */
  clear(): void {
    this.pending = false;
  }

  /** Waits `ms`, or less when an event arrived since `clear` or arrives meanwhile. */
  nap(ms: number): Promise<void> {
    if (this.pending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    this.wake?.();
    await Promise.all(this.events.map((e) => e.close()));
  }

  private notify(): void {
    this.pending = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
