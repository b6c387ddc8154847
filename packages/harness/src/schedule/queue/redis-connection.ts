import type { ConnectionOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { harnessErrors } from '../../errors.js';

/** Where the queue lives: ioredis options (password included) and a printable form (password never included). */
export interface RedisTarget {
  options: RedisOptions & { host: string; port: number };
  /** `redis://host:port/db` (or rediss://); safe to print. */
  printable: string;
}

/**
 * Reads a `--queue` URL: `redis://[user[:password]@]host[:port][/db]` or `rediss://...` (TLS). A password comes
 * from the URL or, when the URL has none, from REDIS_PASSWORD. Every client made from these options waits through
 * a Redis restart (`maxRetriesPerRequest: null`, which BullMQ workers require) instead of failing commands.
 */
export function redisTarget(url: string, env: Readonly<Record<string, string | undefined>> = process.env): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw harnessErrors.queueUrlInvalid('(value not shown: it may hold a password)', 'not a URL');
  }
  const tls = parsed.protocol === 'rediss:';
  if (!tls && parsed.protocol !== 'redis:')
    throw harnessErrors.queueUrlInvalid(redactUrl(url), `the scheme must be redis: or rediss:, not ${parsed.protocol}`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw harnessErrors.queueUrlInvalid(redactUrl(url), `the path must be a database number, not /${db}`);
  const password = parsed.password ? decodeURIComponent(parsed.password) : env.REDIS_PASSWORD || undefined;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = parsed.port ? Number(parsed.port) : 6379;
  const options: RedisTarget['options'] = {
    host,
    port,
    ...(db && { db: Number(db) }),
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(password && { password }),
    ...(tls && { tls: { servername: host } }),
    maxRetriesPerRequest: null,
  };
  return { options, printable: `${parsed.protocol}//${parsed.host}${db ? `/${db}` : ''}` };
}

/** A URL with any user name and password replaced by `***`, for messages about a URL that did not parse. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1***@');
}

/** The target's options as BullMQ types them (its RedisOptions differ from ioredis 6's only in typing). */
export const bullConnection = (target: RedisTarget) => target.options as ConnectionOptions;

/**
 * Checks that Redis answers (within `timeoutMs`), so a wrong URL or password is a QUEUE_UNREACHABLE error at once
 * instead of clients retrying silently forever.
 */
export async function checkReachable(target: RedisTarget, timeoutMs = 10_000): Promise<void> {
  const client = new Redis({
    ...target.options,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  let lastError: Error | undefined;
  client.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const reason = String((lastError ?? (error as Error)).message ?? error).replaceAll(
      String(target.options.password ?? '\0'),
      '***',
    );
    throw harnessErrors.queueUnreachable(target.printable, reason);
  } finally {
    client.disconnect();
  }
}
