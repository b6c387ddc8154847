import { type RunSuiteOptions, type RunSuiteResult, runSuite } from '../run/run-suite.js';
import { cpuRunnerRef } from './cpu-cell-runner.js';
import { testRegistry } from './test-registry.js';

/** The runSuite options a test sets itself; any it leaves out get runTestSuite's defaults or runSuite's. */
export type TestSuiteOptions = Omit<RunSuiteOptions, 'suiteFile' | 'storeDir'>;

/**
 * `lookright run` of a test suite in this process, as the harness's tests run it: the test plugins
 * (`testRegistry()`), the deterministic CPU cell runner (`cpuRunnerRef`), an empty environment (no trackers or
 * settings from this process's) and no printed lines, unless `extra` gives its own; every other option in `extra`
 * (workers, scheduler, observers, limits, pretrainRunner) goes to runSuite as it is. `run-test-suite.ts` is the
 * same run in a child process.
 */
export function runTestSuite(
  suiteFile: string,
  storeDir: string,
  extra: TestSuiteOptions = {},
): Promise<RunSuiteResult> {
  return runSuite({
    ...extra,
    suiteFile,
    storeDir,
    registry: extra.registry ?? testRegistry(),
    runner: extra.runner ?? cpuRunnerRef,
    env: extra.env ?? {},
    print: extra.print ?? (() => {}),
  });
}
