/**
 * Child process of the resume test: runs one cell given as JSON in argv[2]; prints `step N` after each optimiser
 * step so the parent can kill it mid-run.
 */
import { runCell } from '../loop/run-cell.js';

const config = JSON.parse(process.argv[2] ?? '{}');
await runCell(config, {
  log: () => {},
  isTTY: false,
  onStep: (step) => process.stdout.write(`step ${step}\n`),
});
