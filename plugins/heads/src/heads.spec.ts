import assert from 'node:assert/strict';
import { type PluginContext, PluginRegistry, SeededRng } from '@lookright/core';
import { useCpuBackend } from '@lookright/engine/testing';
import headsModule from './module.js';

const ctx: PluginContext = { baseDir: process.cwd(), env: {}, log: () => {} };
const spec = { hiddenSize: 8, labels: ['O', 'B-X', 'I-X'], scheme: 'iob2' as const, dropout: 0.1 };

describe('@lookright/plugin-heads', () => {
  before(useCpuBackend);
  const registry = PluginRegistry.fromPackages([
    {
      origin: { packageName: '@lookright/plugin-heads', packageVersion: '0.1.0', packageDir: '.' },
      module: headsModule,
    },
  ]);
  const create = (id: string, params?: Record<string, unknown>) => registry.create('head', { id, params }, ctx);

  it('head:linear builds a linear token head with one weight matrix and one bias', async () => {
    const factory = await create('head:linear');
    const head = factory.build({ ...spec, rng: new SeededRng(1) });
    assert.equal(head.type, 'linear');
    assert.deepEqual(
      head.variables().map((v) => v.shape),
      [[8, 3], [3]],
    );
    head.dispose();
  });

  it('head:crf builds a CRF head (emissions + transitions + start/end scores), constrained by default', async () => {
    const head = (await create('head:crf')).build({ ...spec, rng: new SeededRng(1) });
    assert.equal(head.type, 'crf');
    assert.deepEqual(
      head.variables().map((v) => v.shape),
      [[8, 3], [3], [3, 3], [3], [3]],
    );
    const chain = await (head as unknown as { chainScores(): Promise<{ start: number[] }> }).chainScores();
    assert.equal(chain.start[2], Number.NEGATIVE_INFINITY, 'I-X cannot start a sentence');
    const free = (await create('head:crf', { constrain: false })).build({ ...spec, rng: new SeededRng(1) });
    const freeChain = await (free as unknown as { chainScores(): Promise<{ start: number[] }> }).chainScores();
    assert.ok(Number.isFinite(freeChain.start[2]));
    head.dispose();
    free.dispose();
  });
});
