import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/**
 * A redis-server of a test's own: loopback, a free port, a temporary folder, append-only file fsynced per write;
 * with `tls`, TLS only (no plain port) with a certificate for 127.0.0.1 from a CA made for it.
 */
export interface TestRedis {
  /** `redis://` or, with TLS, `rediss://`; with the password when there is one. */
  url: string;
  /** With TLS: the PEM file of the CA that signed the server's certificate (for LOOKRIGHT_REDIS_CA). */
  caFile?: string;
  port: number;
  dir: string;
  /** kill -9, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (the append-only file restores the data). */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

/** Whether redis-server is installed (Debian's redis-server; .ci/run installs it). */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Skips the calling suite without redis-server, with a one-line reason; under CI=true it fails instead. */
export function requireRedisServer(ctx: Mocha.Context): void {
  if (hasRedisServer()) return;
  if (process.env.CI === 'true') throw new Error('redis-server is not installed (.ci/run installs it)');
  console.log('      skipped: redis-server is not installed (apt-get install redis-server)');
  ctx.skip();
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A throwaway CA and a server certificate it signed for IP 127.0.0.1, made with openssl in `dir`, valid one day.
 * Returns the paths redis-server's --tls-* options take.
 */
export function makeTestCertificates(dir: string, name = 'lookright-test-ca') {
  const file = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(
    ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`],
    ...['-keyout', file('ca.key'), '-out', file('ca.crt')],
  );
  openssl(
    ...['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1'],
    ...['-keyout', file('server.key'), '-out', file('server.csr')],
  );
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    ...['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key')],
    ...['-CAcreateserial', '-days', '1', '-extfile', file('server.ext'), '-out', file('server.crt')],
  );
  return { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') };
}

async function waitForPing(port: number, password?: string, ca?: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      password,
      ...(ca && { tls: { ca: readFileSync(ca, 'utf8') } }),
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`redis-server on port ${port} did not answer: ${(error as Error).message}`);
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How a test's redis-server is started: with `requirepass` when `password` is set, TLS only with `tls`. */
export interface TestRedisOptions {
  password?: string;
  tls?: boolean;
}

/** Starts a redis-server for one test (optionally with `requirepass`, optionally TLS only). */
export async function startTestRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lookright-redis-'));
  const certs = opts.tls ? makeTestCertificates(dir) : undefined;
  const ports = certs
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certs.cert, '--tls-key-file', certs.key]
    : ['--port', String(port)];
  if (certs) ports.push('--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no');
  const args = [...ports, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  args.push('--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', join(dir, 'redis.log'));
  if (opts.password) args.push('--requirepass', opts.password);
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitForPing(port, opts.password, certs?.ca);
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  await launch();
  const auth = opts.password ? `:${encodeURIComponent(opts.password)}@` : '';
  return {
    url: `${certs ? 'rediss' : 'redis'}://${auth}127.0.0.1:${port}`,
    ...(certs && { caFile: certs.ca }),
    port,
    dir,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the calling suite a redis-server of its own (call it in the `describe` body): a `before` hook that skips the
 * suite without redis-server (requireRedisServer) and starts it with `opts`, and an `after` hook that stops it.
 * Returns the accessor the tests read it through; it throws when the server has not been started (outside a test).
 */
export function useTestRedis(opts: TestRedisOptions = {}): () => TestRedis {
  let redis: TestRedis | undefined;
  before(async function () {
    requireRedisServer(this);
    redis = await startTestRedis(opts);
  });
  after(async () => {
    await redis?.stop();
  });
  return () => {
    if (!redis) throw new Error("useTestRedis: the suite's redis-server is not running (read it inside a test)");
    return redis;
  };
}
