import assert from 'node:assert/strict';
import type { Cell } from '../expand/cell-types.js';
import { testCells } from '../testing/test-suite.js';
import { backboneParameters } from './backbone-size.js';
import type { Calibration } from './calibrate.js';
import { backboneKey } from './calibrate.js';
import { cellWorkload } from './cell-workload.js';
import { documentedFlopsPerSecond, estimateCells } from './estimate-cost.js';

function withRecipe(cell: Cell, recipe: Partial<Cell['config']['recipe']>): Cell {
  return { ...cell, config: { ...cell.config, recipe: { ...cell.config.recipe, ...recipe } } };
}

describe('cost estimates', () => {
  it('counts steps from sentences, batch shape, epochs and maxSteps', async () => {
    const { cells } = await testCells({ seeds: [1] });
    const sentences = cells[0].config.dataset.fingerprint.trainSentences ?? 0;
    const one = withRecipe(cells[0], { batchSize: 1, gradientAccumulation: 1, epochs: 3, maxSteps: null });
    assert.equal(cellWorkload(one.config).steps, sentences * 3);
    assert.equal(cellWorkload(withRecipe(one, { maxSteps: 2 }).config).steps, 2);
    assert.equal(cellWorkload(withRecipe(one, { trainLimit: 1 }).config).steps, 3);
  });

  it('scales a calibration by steps, and says when it has no basis', async () => {
    const { cells } = await testCells({ seeds: [1] });
    const a = withRecipe(cells[0], { batchSize: 1, gradientAccumulation: 1, epochs: 1 });
    const b = withRecipe(cells[0], { batchSize: 1, gradientAccumulation: 1, epochs: 4 });
    const calibration: Calibration = {
      backboneKey: backboneKey(a.config),
      fixedSeconds: 5,
      secondsPerStep: 2,
      cellHash: a.hash,
    };
    const [ea, eb] = estimateCells([a, b], new Map([[calibration.backboneKey, calibration]]));
    const steps = cellWorkload(a.config).steps ?? 0;
    assert.equal(ea.seconds, 5 + steps * 2);
    assert.equal(eb.seconds, 5 + 4 * steps * 2);
    const [sized] = estimateCells([a], new Map());
    assert.match(sized.basis, /params \(.*config\.json\) at the documented/);
    assert.ok((sized.seconds ?? 0) > 0 && documentedFlopsPerSecond > 0);
    const nowhere = { ...a.config.backbone, params: { path: '/nonexistent/model' } };
    const [none] = estimateCells([{ ...a, config: { ...a.config, backbone: nowhere } }], new Map());
    assert.equal(none.seconds, null);
    assert.match(none.basis, /backbone size unknown/);
  });

  it('sizes a backbone made from a config from its sizes (the named size under the given keys), not its files', () => {
    const made = (config: Record<string, unknown>) =>
      backboneParameters(
        {
          id: 'backbone:llama',
          label: 'l',
          params: { config },
          paramsAsWritten: { config },
          plugin: { package: 'p', version: '1' },
        },
        '/nonexistent',
      );
    const perLayer = (h: number, ffn: number) => 4 * h * h + 3 * h * ffn;
    assert.deepEqual(made({ hidden_size: 32, num_hidden_layers: 4, intermediate_size: 64 }), {
      count: 4 * perLayer(32, 64),
      source: 'model config',
    });
    assert.equal(made({ size: 'micro', num_hidden_layers: 3 })?.count, 3 * perLayer(64, 172));
  });

  it('counts only the layers an early exit (backbone layers: N) runs', () => {
    const config = { hidden_size: 32, num_hidden_layers: 4, intermediate_size: 64 };
    const size = backboneParameters(
      {
        id: 'backbone:llama',
        label: 'l',
        params: { config, layers: 2 },
        paramsAsWritten: { config, layers: 2 },
        plugin: { package: 'p', version: '1' },
      },
      '/nonexistent',
    );
    assert.deepEqual(size, { count: 2 * (4 * 32 * 32 + 3 * 32 * 64), source: 'model config, first 2 layers' });
  });
});
