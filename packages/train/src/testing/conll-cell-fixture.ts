import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import type { TrainCellConfig } from '../loop/cell-config.js';
import { type ConllCellOptions, conllCell } from './conll-cell.js';

/** What the CoNLL-cell tests of one describe share; read the fields inside tests and hooks, not at describe time. */
export interface ConllCellFixture {
  /** stories260K's HF folder in LOOKRIGHT_DATA_DIR. */
  readonly modelDir: string;
  /** The CoNLL-2003 folder in LOOKRIGHT_DATA_DIR. */
  readonly dataDir: string;
  /** A temporary folder for the cells' outputs, removed after the describe. */
  readonly root: string;
  readonly registry: PluginRegistry;
  /** conllCell on the fixture's model and data, its output in `<root>/<name>`. */
  cell(name: string, options: Omit<ConllCellOptions, 'modelDir' | 'dataDir' | 'output'>): TrainCellConfig;
}

/**
 * Registers the describe's before/after hooks for CoNLL-cell tests: finds stories260K and CoNLL-2003 (skipping with
 * a one-line reason when LOOKRIGHT_DATA_DIR is unset, failing under CI, as dataPath does), makes a temporary root
 * named `lookright-<name>-…` and loads the plugin registry; removes the root afterwards.
 */
export function useConllCellFixture(name: string): ConllCellFixture {
  const fixture = {
    cell: (name, options) =>
      conllCell({ ...options, modelDir: fixture.modelDir, dataDir: fixture.dataDir, output: join(fixture.root, name) }),
  } as { -readonly [K in keyof ConllCellFixture]: ConllCellFixture[K] };
  before(async function () {
    fixture.modelDir = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    fixture.dataDir = dataPath(this, 'conll2003');
    fixture.root = mkdtempSync(join(tmpdir(), `lookright-${name}-`));
    fixture.registry = await loadRegistry();
  });
  after(() => {
    if (fixture.root) rmSync(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}
