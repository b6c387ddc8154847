import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchingNodedir, nodeGypCandidates } from '../../packages/native/scripts/node-headers.mjs';
import { repoRoot } from '../support/run-cli.js';

const seedScript = join(repoRoot, 'packages', 'native', 'scripts', 'seed-node-gyp-cache.mjs');
/** Any header download goes here and fails at once, as it would on a machine without network. */
const unreachableDist = '--dist-url=http://127.0.0.1:9';

/** Why this machine cannot build an addon at all, or undefined. */
function missingToolchain(): string | undefined {
  if (!matchingNodedir()) return `no headers of Node ${process.versions.node} under its prefix`;
  if (nodeGypCandidates().length === 0) return 'no node-gyp beside Node';
  for (const tool of ['cc', 'make', 'python3'])
    if (spawnSync(tool, ['--version']).status !== 0) return `${tool} is not installed`;
  return undefined;
}

/** Builds a one-file N-API addon with node-gyp, headers only from `devDir`, no nodedir and no download. */
function buildProbe(dir: string, devDir: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'binding.gyp'), '{ "targets": [ { "target_name": "probe", "sources": [ "probe.c" ] } ] }');
  writeFileSync(
    join(dir, 'probe.c'),
    '#include <node_api.h>\nstatic napi_value Init(napi_env env, napi_value exports) { return exports; }\nNAPI_MODULE(NODE_GYP_MODULE_NAME, Init)\n',
  );
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_devdir: devDir };
  delete env.npm_config_nodedir;
  const [nodeGyp] = nodeGypCandidates();
  return spawnSync(process.execPath, [nodeGyp, 'rebuild', unreachableDist], { cwd: dir, env, encoding: 'utf8' });
}

describe("root preinstall: node-gyp finds Node's own headers offline", function () {
  this.timeout(180_000);
  let tmp: string;
  before(function () {
    const missing = missingToolchain();
    if (missing) {
      if (process.env.LOOKRIGHT_REQUIRE_NATIVE === '1') throw new Error(`required native toolchain: ${missing}`);
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    tmp = mkdtempSync(join(tmpdir(), 'lookright-node-gyp-'));
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('is what pnpm runs before building dependencies', () => {
    const pkg = createRequire(import.meta.url)(join(repoRoot, 'package.json')) as { scripts: Record<string, string> };
    assert.equal(pkg.scripts.preinstall, 'node packages/native/scripts/seed-node-gyp-cache.mjs');
  });

  it('without it, node-gyp cannot build an addon offline (the failure it prevents)', function () {
    if ((process.config.variables as { use_prefix_to_find_headers?: boolean }).use_prefix_to_find_headers) {
      console.log('      skipped: this Node was built to find its headers by itself (use_prefix_to_find_headers)');
      this.skip();
    }
    const build = buildProbe(join(tmp, 'unseeded'), join(tmp, 'empty-devdir'));
    assert.notEqual(build.status, 0, 'the build needed no headers at all; this test proves nothing here');
  });

  it("seeds node-gyp's cache so the same build succeeds and the addon loads", () => {
    const devDir = join(tmp, 'devdir');
    const seed = spawnSync(process.execPath, [seedScript], {
      env: { ...process.env, npm_config_devdir: devDir },
      encoding: 'utf8',
    });
    assert.equal(seed.status, 0, seed.stderr);
    const versionDir = join(devDir, process.versions.node);
    assert.match(seed.stdout, new RegExp(`${versionDir}/include/node -> ${matchingNodedir()}/include/node`));
    assert.ok(existsSync(join(versionDir, 'include', 'node', 'node_api.h')));

    const again = spawnSync(process.execPath, [seedScript], {
      env: { ...process.env, npm_config_devdir: devDir },
      encoding: 'utf8',
    });
    assert.match(again.stdout, /already holds the headers/);

    const probeDir = join(tmp, 'seeded');
    const build = buildProbe(probeDir, devDir);
    assert.equal(build.status, 0, `${build.stdout}${build.stderr}`.slice(-3000));
    const probe = createRequire(import.meta.url)(join(probeDir, 'build', 'Release', 'probe.node'));
    assert.equal(typeof probe, 'object');
  });
});
