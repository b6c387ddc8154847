import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSuiteText } from '@lookright/core';
import type { Cell } from '../expand/cell-types.js';
import { expandSuite } from '../expand/expand-suite.js';
import { needOf, queueNameOf } from '../schedule/queue/queue-capability.js';
import { testRegistry } from './test-registry.js';

/** A temp folder with a tiny suite over the test plugins and its data file. */
export function writeTestSuite(
  opts: { seeds?: number[]; masks?: string[]; inputs?: string[]; name?: string; maxSteps?: number } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-harness-'));
  writeFileSync(join(dir, 'train.txt'), 'EU/B-ORG rejects/O German/B-MISC call/O\nPeter/B-PER Blackburn/I-PER\n');
  mkdirSync(join(dir, 'model'));
  writeFileSync(
    join(dir, 'model', 'config.json'),
    JSON.stringify({ hidden_size: 8, num_hidden_layers: 2, intermediate_size: 16, vocab_size: 32 }),
  );
  const file = join(dir, 'suite.yaml');
  const text = `name: ${opts.name ?? 'test-suite'}
recipe: {epochs: 1${opts.maxSteps ? `, maxSteps: ${opts.maxSteps}` : ''}}
axes:
  backbone: [{id: backbone:tiny, params: {path: model}}]
  mask: [${(opts.masks ?? ['mask:causal', '"01"']).join(', ')}]
  dataset: [{id: dataset:lines, params: {file: train.txt}}]
${opts.inputs ? `  input: [${opts.inputs.join(', ')}]\n` : ''}  seed: [${(opts.seeds ?? [1, 2]).join(', ')}]
`;
  writeFileSync(file, text);
  return { dir, file, text };
}

/** Expands a test suite into real cells (real hashes, real dataset checksums). */
export async function testCells(
  opts: Parameters<typeof writeTestSuite>[0] = {},
  runner = { id: 'runner:test', version: '1' },
): Promise<{ dir: string; file: string; cells: Cell[] }> {
  const { dir, file, text } = writeTestSuite(opts);
  const registry = testRegistry();
  const suite = validateSuiteText(file, text, registry);
  const cells = await expandSuite(suite, { registry, suiteFile: file, runner, env: {} });
  return { dir, file, cells };
}

/** The queue of the test suites' cells: the CPU test runner and the test plugins at 1.0.0. */
export async function testQueueName(): Promise<string> {
  const { dir, cells } = await testCells({ seeds: [1] }, { id: 'runner:test-cpu', version: '1' });
  rmSync(dir, { recursive: true, force: true });
  return queueNameOf(needOf(cells[0].config));
}
