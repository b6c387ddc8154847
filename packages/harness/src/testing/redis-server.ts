import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server of a test's own: loopback, a free port, a temporary folder, append-only file fsynced per write. */
export interface TestRedis {
  url: string;
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

async function waitForPing(port: number, password?: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const client = new Redis({
      port,
      host: '127.0.0.1',
      password,
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

/** Starts a redis-server for one test (optionally with `requirepass`). */
export async function startTestRedis(opts: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lookright-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes'];
  args.push('--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', join(dir, 'redis.log'));
  if (opts.password) args.push('--requirepass', opts.password);
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitForPing(port, opts.password);
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
    url: `redis://${auth}127.0.0.1:${port}`,
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
