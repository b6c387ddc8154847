import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
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
 * from the URL or, when the URL has none, from REDIS_PASSWORD. With TLS the server's certificate must be signed by
 * a CA the system trusts or by the one in the PEM file LOOKRIGHT_REDIS_CA names, and must name the URL's host (a
 * DNS name or IP address). Every client made from these options waits through a Redis restart
 * (`maxRetriesPerRequest: null`, which BullMQ workers require) instead of failing commands.
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
    ...(tls && { tls: tlsOptions(host, env.LOOKRIGHT_REDIS_CA) }),
    maxRetriesPerRequest: null,
  };
  return { options, printable: `${parsed.protocol}//${parsed.host}${db ? `/${db}` : ''}` };
}

/** TLS options for `host`: SNI for a DNS name (not for an IP, which RFC 6066 forbids), the CA file when given. */
function tlsOptions(host: string, caFile: string | undefined): NonNullable<RedisOptions['tls']> {
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw harnessErrors.queueCaUnreadable(caFile, (error as Error).message);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw harnessErrors.queueCaUnreadable(caFile, 'it holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  return { ...(isIP(host) === 0 && { servername: host }), ...(ca && { ca }) };
}

/** Whether a connection error is the TLS handshake refusing the server's certificate. */
function isCertificateError(error: Error & { code?: string }): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(error.code ?? '');
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
    const cause = lastError ?? (error as Error);
    const reason = String(cause.message ?? error).replaceAll(String(target.options.password ?? '\0'), '***');
    if (target.options.tls && isCertificateError(cause)) throw harnessErrors.queueTlsRejected(target.printable, reason);
    throw harnessErrors.queueUnreachable(target.printable, reason);
  } finally {
    client.disconnect();
  }
}
