/**
 * Child process of the resume test: runs one cell given as JSON in argv[2]; prints `step N` after each optimiser
 * step so the parent can kill it mid-run. A failure prints its message and exits 1.
 */
import { runCell } from '../cell/run-cell.js';

try {
  await runCell(JSON.parse(process.argv[2] ?? '{}'), {
    log: () => {},
    onStep: (step) => process.stdout.write(`step ${step}\n`),
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
