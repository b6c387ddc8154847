import assert from 'node:assert/strict';
import { type PluginContext, type PluginDescriptor, PluginRegistry, Tracker } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { createTrackers } from './trackers-from-env.js';

const seen: unknown[] = [];
const echo: PluginDescriptor = {
  id: 'tracker:echo',
  kind: 'tracker',
  summary: 'records its params',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { experiment: { type: 'string', default: 'lookright' }, retries: { type: 'integer', minimum: 0 } },
  },
  create: (params) => {
    seen.push(params);
    return { name: 'echo', deliver: async () => {} };
  },
};

const registry = PluginRegistry.fromPackages([
  {
    origin: { packageName: 'echo-trackers', packageVersion: '1.0.0', packageDir: '.' },
    module: new ContainerModule(({ bind }) => {
      bind(Tracker).toConstantValue(echo);
    }),
  },
]);
const ctx: PluginContext = { baseDir: '.', env: {}, log: () => {} };

describe('createTrackers', () => {
  it('creates a suite’s trackers with their params validated and defaults filled', async () => {
    seen.length = 0;
    const trackers = await createTrackers(
      registry,
      [{ id: 'tracker:echo' }, { id: 'tracker:echo', params: { retries: 2 } }],
      ctx,
    );
    assert.deepEqual(
      trackers.map((t) => t.name),
      ['echo', 'echo'],
    );
    assert.deepEqual(seen, [{ experiment: 'lookright' }, { experiment: 'lookright', retries: 2 }]);
  });

  it('refuses bad tracker params before creating anything, naming the key', async () => {
    seen.length = 0;
    await assert.rejects(createTrackers(registry, [{ id: 'tracker:echo', params: { retries: -1 } }], ctx), {
      code: 'PLUGIN_PARAMS_INVALID',
      message: /tracker:echo \(from echo-trackers\).*params\/retries must be >= 0/,
    });
    assert.deepEqual(seen, []);
  });
});
