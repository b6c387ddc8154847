/**
 * Child-process entry for the harness's kill tests: `node --import tsx run-test-suite.ts <suite.yaml> <storeDir>
 * <workers>` runs a suite over the test plugins with the deterministic CPU cell runner.
 */
import { runSuite } from '../run/run-suite.js';
import { cpuRunnerRef } from './cpu-cell-runner.js';
import { testRegistry } from './test-registry.js';

const [suiteFile, storeDir, workers] = process.argv.slice(2);
if (suiteFile) {
  const result = await runSuite({
    suiteFile,
    storeDir,
    workers: Number(workers ?? 2),
    registry: testRegistry(),
    runner: cpuRunnerRef,
    env: {},
  });
  process.exit(result.summary.failed ? 1 : 0);
}
