import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '@lookright/test-support/fixtures';
import { expectNoTensorGrowth } from '../testing/expect-no-growth.js';
import { defaultPretrainConfig, pretrain } from './pretrain.js';

describe('pretrain leaves no tensors behind (micro size, three runs in one process)', function () {
  this.timeout(10 * 60_000);
  let root: string;
  let dataDir: string;
  before(function () {
    dataDir = dataPath(this, 'gutenberg_nltk');
    root = mkdtempSync(join(tmpdir(), 'lookright-pretrain-memory-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const objective of ['clm', 'mlm'] as const)
    it(`${objective}: the live tensor count is the same after each run`, async () => {
      await expectNoTensorGrowth((run) =>
        pretrain(
          {
            ...defaultPretrainConfig,
            objective,
            size: 'micro',
            steps: 3,
            maxChars: 20_000,
            dataDir,
            output: join(root, `${objective}-${run}`),
          },
          () => {},
        ),
      );
    });
});
