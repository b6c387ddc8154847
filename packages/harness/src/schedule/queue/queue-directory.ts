import { Redis } from 'ioredis';
import { type Capability, queueNameOf, queuePrefix } from './queue-capability.js';
import type { RedisTarget } from './redis-connection.js';

const needsKey = `${queuePrefix}:needs`;
const workersKey = `${queuePrefix}:workers`;
const workerKey = (name: string) => `${queuePrefix}:worker:${name}`;

/**
 * The queues' directory in Redis, beside BullMQ's keys: `lookright:needs` (a hash: queue name → the need of its
 * cells, written by harnesses) and what each connected worker declared (`lookright:worker:<name>`, expiring unless
 * renewed, listed in the set `lookright:workers`). Workers read the needs to find the queues they can serve;
 * harnesses read the declarations to say why nobody serves a queue. Announcing a queue also publishes its name
 * on the channel `lookright:needs`, so workers find a new queue at once rather than at their next look. Expiry runs
 * on Redis's clock, so machines' clocks need not agree.
 */
export class QueueDirectory {
  private readonly redis: Redis;
  private subscriber: Redis | undefined;

  constructor(target: RedisTarget) {
    this.redis = new Redis(target.options);
    this.redis.on('error', () => {});
  }

  /** Records the need of a queue's cells (idempotent), so workers can find the queue. */
  async announce(need: Capability): Promise<void> {
    const name = queueNameOf(need);
    await this.redis.multi().hset(needsKey, name, JSON.stringify(need)).publish(needsKey, name).exec();
  }

  /** Calls `listener` whenever a harness announces a queue (on a connection of its own). */
  async onAnnounce(listener: () => void): Promise<void> {
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', listener);
    await this.subscriber.subscribe(needsKey);
  }

  /** Every announced queue with its need. */
  async needs(): Promise<Map<string, Capability>> {
    const all = await this.redis.hgetall(needsKey);
    return new Map(Object.entries(all).map(([name, json]) => [name, JSON.parse(json) as Capability]));
  }

  /** Declares (or renews) a worker's offer for `ttlMs`. */
  async declare(name: string, offer: Capability, ttlMs: number): Promise<void> {
    await this.redis.multi().sadd(workersKey, name).set(workerKey(name), JSON.stringify(offer), 'PX', ttlMs).exec();
  }

  /** Removes a worker's declaration (it is closing). */
  async withdraw(name: string): Promise<void> {
    await this.redis.multi().srem(workersKey, name).del(workerKey(name)).exec();
  }

  /** The offers of the workers whose declaration has not expired; expired names are dropped from the list. */
  async connectedWorkers(): Promise<Capability[]> {
    const names = await this.redis.smembers(workersKey);
    if (names.length === 0) return [];
    const values = await this.redis.mget(names.map(workerKey));
    const gone = names.filter((_, i) => values[i] === null);
    if (gone.length) await this.redis.srem(workersKey, ...gone);
    return values.filter((v): v is string => v !== null).map((v) => JSON.parse(v) as Capability);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    this.redis.disconnect();
  }
}
