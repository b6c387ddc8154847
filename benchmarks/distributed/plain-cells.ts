/**
 * The scaling ceiling for queue-scale.ts: `node --import tsx benchmarks/distributed/plain-cells.ts <seeds> <steps>
 * <part> <parts>` runs, in this one process, the CPU test runner over every `parts`-th cell (from `part`) of the
 * suite queue-scale.ts runs, back to back, with no queue, store, harness or process per cell. Two of these at once
 * against one alone give what two processes can gain on this machine at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuCellRunner } from '../../packages/harness/src/testing/cpu-cell-runner.js';
import { testCells } from '../../packages/harness/src/testing/test-suite.js';

const [seeds, steps, part, parts] = process.argv.slice(2).map(Number);
const { dir, cells } = await testCells({ seeds: Array.from({ length: seeds }, (_, i) => i + 1), maxSteps: steps });
try {
  for (const [i, cell] of cells.entries()) {
    if (i % parts !== part) continue;
    const artifactDir = mkdtempSync(join(tmpdir(), 'lookright-plain-cell-'));
    await cpuCellRunner.run(cell.config, {
      artifactDir,
      log: () => {},
      reportStep: () => {},
      isCancelled: () => false,
      env: { LOOKRIGHT_TEST_STEP_MS: '0' },
    });
    rmSync(artifactDir, { recursive: true, force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
