import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { hubCacheDir, LookrightError, parseRepoId } from '@lookright/core';
import { startFakeHub } from '@lookright/test-support/fake-hub';
import { fixturePath } from '@lookright/test-support/fixtures';
import { loadCheckpoint } from './checkpoint-load.js';
import { resolveModelSource } from './model-source.js';
import { readSafetensors } from './safetensors-read.js';

const COMMIT = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
const TOKEN = 'hf_lookrightTestSecret0123456789';
/** A local port nothing listens on, so a hub request fails the way an unreachable network does. */
const DEAD_HUB = 'http://127.0.0.1:9';

/**
 * Builds a hub cache tree like huggingface_hub writes it: blobs named by content hash, snapshot files as relative
 * symlinks into blobs, refs/<revision> holding the commit sha.
 */
function buildCache(cacheDir: string, repo: string, files: Record<string, string>, revision = 'main'): string {
  const root = join(cacheDir, `models--${repo.replace('/', '--')}`);
  const snapshot = join(root, 'snapshots', COMMIT);
  mkdirSync(join(root, 'blobs'), { recursive: true });
  mkdirSync(snapshot, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    const bytes = readFileSync(source);
    const blob = join(root, 'blobs', createHash('sha256').update(bytes).digest('hex'));
    writeFileSync(blob, bytes);
    symlinkSync(relative(snapshot, blob), join(snapshot, name));
  }
  mkdirSync(join(root, 'refs'), { recursive: true });
  writeFileSync(join(root, 'refs', revision), COMMIT);
  return snapshot;
}

const noSecret = (e: unknown) => e instanceof LookrightError && !`${e.message} ${e.hint}`.includes(TOKEN);

describe('hub repo ids through the Hugging Face cache', () => {
  let tmp: string;
  let folder: string;
  beforeEach(function () {
    folder = fixturePath(this, 'hf-tiny', 'llama-tiny');
    tmp = mkdtempSync(join(tmpdir(), 'lookright-hub-'));
  });
  afterEach(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const tinyFiles = () => ({
    'config.json': join(folder, 'config.json'),
    'model.safetensors': join(folder, 'model.safetensors'),
  });

  it('parses repo ids with and without a revision', () => {
    assert.deepEqual(parseRepoId('org/name'), { repo: 'org/name', revision: 'main' });
    assert.deepEqual(parseRepoId('org/name@v1.0'), { repo: 'org/name', revision: 'v1.0' });
    assert.equal(parseRepoId('org/name/extra'), undefined);
    assert.equal(parseRepoId('org/../x'), undefined);
  });

  it('finds the cache like huggingface_hub: HF_HUB_CACHE, then HF_HOME/hub', () => {
    assert.equal(hubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' }), '/a');
    assert.equal(hubCacheDir({ HF_HOME: '/b' }), join('/b', 'hub'));
  });

  it('loads a cached repo offline (HF_HUB_OFFLINE=1) from the symlinked snapshot', async () => {
    const snapshot = buildCache(join(tmp, 'hub'), 'tiny-org/llama-tiny', tinyFiles());
    const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_HUB_OFFLINE: '1', HF_ENDPOINT: DEAD_HUB };
    const checkpoint = await loadCheckpoint('tiny-org/llama-tiny', { env, backend: 'wasm' });
    assert.equal(checkpoint.source.kind, 'hub-cache');
    assert.equal(checkpoint.source.dir, snapshot);
    assert.equal(checkpoint.source.commit, COMMIT);
    const direct = readSafetensors(join(folder, 'model.safetensors'));
    assert.deepEqual(checkpoint.tensors.get('model.norm.weight')?.data, direct.get('model.norm.weight')?.data);
  });

  it('resolves a tag through HF_HOME and a commit sha directly', async () => {
    buildCache(join(tmp, 'home', 'hub'), 'tiny-org/llama-tiny', tinyFiles(), 'v1');
    const env = { HF_HOME: join(tmp, 'home'), HF_HUB_OFFLINE: '1' };
    assert.equal((await resolveModelSource('tiny-org/llama-tiny@v1', { env })).commit, COMMIT);
    assert.equal((await resolveModelSource(`tiny-org/llama-tiny@${COMMIT}`, { env })).kind, 'hub-cache');
    await assert.rejects(resolveModelSource('tiny-org/llama-tiny@v2', { env }), isNotCached('tiny-org/llama-tiny@v2'));
  });

  it('uses the cached revision when the hub is unreachable, and says so', async () => {
    buildCache(join(tmp, 'hub'), 'tiny-org/llama-tiny', tinyFiles());
    const notices: string[] = [];
    const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_ENDPOINT: DEAD_HUB, HF_TOKEN: TOKEN };
    const source = await resolveModelSource('tiny-org/llama-tiny', { env, onNotice: (l) => notices.push(l) });
    assert.equal(source.kind, 'hub-cache');
    assert.match(source.note ?? '', /unreachable/);
    assert.equal(notices.length, 1);
    assert.ok(!notices[0].includes(TOKEN));
  });

  it('refuses an uncached repo when the hub is unreachable, naming the repo and the fixes, never the token', async () => {
    const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_ENDPOINT: DEAD_HUB, HF_TOKEN: TOKEN };
    await assert.rejects(resolveModelSource('tiny-org/not-cached', { env }), (e: unknown) => {
      assert.ok(e instanceof LookrightError && noSecret(e));
      assert.equal(e.code, 'HUB_UNREACHABLE');
      assert.match(e.message, /tiny-org\/not-cached@main.*unreachable/);
      assert.match(e.hint ?? '', /HF_HUB_OFFLINE.*local checkpoint folder/);
      return true;
    });
  });

  it('reports a non-network failure (a token the hub client rejects) as a download failure, without the token', async () => {
    const badToken = 'not-an-hf-token-secret-value';
    const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_ENDPOINT: DEAD_HUB, HF_TOKEN: badToken };
    await assert.rejects(resolveModelSource('tiny-org/llama-tiny', { env }), (e: unknown) => {
      assert.ok(e instanceof LookrightError);
      assert.equal(e.code, 'HUB_DOWNLOAD_FAILED');
      assert.match(e.message, /tiny-org\/llama-tiny@main/);
      assert.ok(!`${e.message} ${e.hint}`.includes(badToken));
      return true;
    });
  });

  it('downloads an uncached repo through the hub API into the cache, then resolves it offline', async () => {
    const files = Object.fromEntries(Object.entries(tinyFiles()).map(([name, path]) => [name, readFileSync(path)]));
    const hub = await startFakeHub(
      { kind: 'model', repo: 'tiny-org/llama-tiny', commit: COMMIT, revisions: ['main'], files },
      TOKEN,
    );
    try {
      const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN };
      const notices: string[] = [];
      const source = await resolveModelSource('tiny-org/llama-tiny', { env, onNotice: (l) => notices.push(l) });
      assert.equal(source.commit, COMMIT);
      assert.equal(source.dir, join(tmp, 'hub', 'models--tiny-org--llama-tiny', 'snapshots', COMMIT));
      assert.equal(readFileSync(join(tmp, 'hub', 'models--tiny-org--llama-tiny', 'refs', 'main'), 'utf8'), COMMIT);
      assert.ok(!notices.join('\n').includes(TOKEN));
      const offline = await resolveModelSource('tiny-org/llama-tiny', { env: { ...env, HF_HUB_OFFLINE: '1' } });
      assert.equal(offline.dir, source.dir);
      const { tensors } = await loadCheckpoint(source.dir, {});
      const local = readSafetensors(join(folder, 'model.safetensors'));
      assert.deepEqual([...tensors.keys()].sort(), [...local.keys()].sort());
      for (const [name, t] of local) assert.deepEqual(tensors.get(name)?.data, t.data, name);
    } finally {
      await hub.close();
    }
  });

  it('refuses offline when the cached snapshot lacks the weights (dangling symlink)', async () => {
    const snapshot = buildCache(join(tmp, 'hub'), 'tiny-org/llama-tiny', tinyFiles());
    rmSync(join(snapshot, '..', '..', 'blobs'), { recursive: true });
    const env = { HF_HUB_CACHE: join(tmp, 'hub'), HF_HUB_OFFLINE: '1', HF_TOKEN: TOKEN };
    await assert.rejects(
      resolveModelSource('tiny-org/llama-tiny', { env }),
      (e: unknown) =>
        isNotCached('tiny-org/llama-tiny@main')(e) &&
        noSecret(e) &&
        /lacks .*model\.safetensors/.test((e as Error).message),
    );
  });
});

function isNotCached(what: string) {
  return (e: unknown) => e instanceof LookrightError && e.code === 'HUB_NOT_CACHED' && e.message.includes(what);
}
