import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `pnpm arch`'s depcruise with the repository's rules over a workspace laid out in `files`. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'lookright-arch-'));
  try {
    const all: Record<string, string> = {
      'tsconfig.json': JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          allowImportingTsExtensions: true,
          noEmit: true,
        },
      }),
      ...files,
    };
    for (const [path, text] of Object.entries(all)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'depcruise'),
      ['--config', join(repoRoot, '.dependency-cruiser.cjs'), 'packages', 'plugins'],
      { cwd: root, encoding: 'utf8', timeout: 120_000 },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('architecture rules (pnpm arch)', function () {
  this.timeout(120_000);

  it('passes a layout that keeps the rules', () => {
    const { status, output } = cruise({
      'packages/core/src/index.ts': 'export const core = 1;\n',
      'plugins/masks/src/a/a.ts': "import { b } from '../b/b.ts';\nexport const a = b;\n",
      'plugins/masks/src/b/b.ts': 'export const b = 2;\n',
    });
    assert.equal(status, 0, output);
    assert.match(output, /no dependency violations found/);
  });

  it('fails on each deliberate violation, naming the rule', () => {
    const { status, output } = cruise({
      'packages/core/src/index.ts': "import { train } from '../../train/src/index.ts';\nexport const core = train;\n",
      'packages/train/src/index.ts': 'export const train = 1;\n',
      'packages/native/src/index.ts': 'export const native = 1;\n',
      'packages/harness/src/index.ts':
        "import { native } from '../../native/src/index.ts';\nexport const harness = native;\n",
      'plugins/heads/src/index.ts':
        "import { train } from '../../../packages/train/src/index.ts';\nexport const head = train;\n",
      'plugins/masks/src/a/a.ts': "import { b } from '../b/b.ts';\nexport const a = b;\n",
      'plugins/masks/src/b/b.ts': "import { a } from '../a/a.ts';\nexport const b = () => a;\n",
    });
    assert.notEqual(status, 0);
    for (const rule of [
      'core-imports-no-workspace-package',
      'harness-not-into-native-or-tfjs',
      'plugins-import-only-core-engine-text',
      'no-relative-import-into-another-package',
      'no-cycle-between-folders',
    ])
      assert.match(output, new RegExp(`error ${rule}`), `${rule} did not fire:\n${output}`);
  });
});
