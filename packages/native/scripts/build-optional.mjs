// Install script of @lookright/native: builds the N-API addon with node-gyp when the
// toolchain (g++, make, python3) and OpenBLAS headers (libopenblas-dev) are present, and
// otherwise exits 0 with a note, so `pnpm install` never fails because of it.
// Skips the build when build/Release is up to date with the sources and flags (hash).
// Env: LOOKRIGHT_NATIVE_BUILD=0 skips; LOOKRIGHT_NATIVE_MARCH / LOOKRIGHT_NATIVE_FAST_MATH
// pick flags (see build-flags.cjs); npm_config_nodedir defaults to Node's own prefix when its headers are there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchingNodedir, nodeGypCandidates } from './node-headers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonPath = join(root, 'build', 'Release', 'lookright_native.node');
const stampPath = join(root, 'build', 'lookright-build.hash');
const enableHint =
  'To enable native acceleration: apt-get install -y g++ make python3 libopenblas-dev, then ' +
  'run `pnpm --filter @lookright/native run build` (or reinstall).';

function note(message) {
  process.stdout.write(`[@lookright/native] ${message}\n`);
}

function sourceHash() {
  const h = createHash('sha256');
  h.update(process.version);
  h.update(`${process.env.LOOKRIGHT_NATIVE_MARCH ?? ''}|${process.env.LOOKRIGHT_NATIVE_FAST_MATH ?? ''}`);
  for (const f of ['binding.gyp', 'scripts/build-flags.cjs']) h.update(readFileSync(join(root, f)));
  for (const f of readdirSync(join(root, 'csrc')).sort()) h.update(f).update(readFileSync(join(root, 'csrc', f)));
  return h.digest('hex');
}

const lockDir = join(root, '.build-lock');

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One build at a time (two `pnpm install`s at once would both run node-gyp in build/). */
function acquireLock() {
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return true;
    } catch {
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
      } catch {}
      if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) return false;
      spawnSync('sleep', ['1']);
    }
  }
}

function main() {
  if (process.env.LOOKRIGHT_NATIVE_BUILD === '0') {
    note('LOOKRIGHT_NATIVE_BUILD=0: build skipped; runs use pure tfjs.');
    return;
  }
  const hash = sourceHash();
  const force = process.argv.includes('--force');
  const upToDate = () => existsSync(addonPath) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === hash;
  if (!force && upToDate()) {
    note('addon up to date.');
    return;
  }
  if (!acquireLock()) {
    note('another build held the lock for 15 minutes; runs use pure tfjs until it finishes.');
    return;
  }
  try {
    if (!force && upToDate()) {
      note('addon built by a concurrent install.');
      return;
    }
    build(hash);
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function build(hash) {
  const [nodeGyp] = nodeGypCandidates();
  if (!nodeGyp) {
    note(`node-gyp not found; runs use pure tfjs. ${enableHint}`);
    return;
  }
  const env = { ...process.env };
  const nodedir = env.npm_config_nodedir || matchingNodedir();
  if (nodedir) env.npm_config_nodedir = nodedir;
  const started = Date.now();
  const run = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: root, env, encoding: 'utf8' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0 && existsSync(addonPath)) {
    writeFileSync(stampPath, hash);
    note(`addon built in ${seconds} s (${addonPath}).`);
    return;
  }
  const log = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
  const missingBlas = /cblas\.h|lopenblas/.test(log);
  const reason = missingBlas ? 'OpenBLAS headers/library (libopenblas-dev) not found' : 'node-gyp build failed';
  note(`${reason} after ${seconds} s; runs use pure tfjs. ${enableHint}`);
  const tail = log.trim().split('\n').slice(-12).join('\n');
  if (tail) note(`last build output:\n${tail}`);
}

try {
  main();
} catch (err) {
  note(`build skipped (${err instanceof Error ? err.message : String(err)}); runs use pure tfjs. ${enableHint}`);
}
process.exit(0);
