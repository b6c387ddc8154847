import assert from 'node:assert/strict';
import { ContainerModule } from 'inversify';
import { LookrightError, PluginError } from './errors.js';
import { serviceIdOf } from './extension-points/index.js';
import type { PluginContext, PluginDescriptor } from './plugin-descriptor.js';
import { PluginRegistry } from './plugin-registry.js';

const ctx: PluginContext = { baseDir: '.', env: {}, log: () => {} };

/** A mask plugin whose `create` is given; its params take an integer `k` with default 2. */
const mask = (id: string, create: PluginDescriptor['create']): PluginDescriptor => ({
  id,
  kind: 'mask',
  summary: id,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { k: { type: 'integer', minimum: 0, default: 2 } },
  },
  create,
});

const registryOf = (...descriptors: PluginDescriptor[]) =>
  PluginRegistry.fromPackages([
    {
      origin: { packageName: '@acme/plugin-masks', packageVersion: '1.0.0', packageDir: '/x' },
      module: new ContainerModule(({ bind }) => {
        for (const d of descriptors) bind(serviceIdOf[d.kind]).toConstantValue(d);
      }),
    },
  ]);

async function rejection(promise: Promise<unknown>): Promise<LookrightError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LookrightError, `expected a LookrightError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('PluginRegistry.create', () => {
  it('fills the schema defaults into the params create receives, leaving the caller’s params alone', async () => {
    const seen: unknown[] = [];
    const registry = registryOf(
      mask('mask:k', (params) => {
        seen.push(params);
        return { label: 'k', layerSpecs: () => [] };
      }),
    );
    const params = {};
    const strategy = await registry.create('mask', { id: 'mask:k', params }, ctx);
    assert.equal(strategy.label, 'k');
    assert.deepEqual(seen, [{ k: 2 }]);
    assert.deepEqual(params, {});
  });

  it('refuses bad params with PLUGIN_PARAMS_INVALID naming the key, or with the caller’s own error', async () => {
    let created = false;
    const registry = registryOf(
      mask('mask:k', () => {
        created = true;
        return { label: 'k', layerSpecs: () => [] };
      }),
    );
    const error = await rejection(registry.create('mask', { id: 'mask:k', params: { k: -1 } }, ctx));
    assert.equal(error.code, 'PLUGIN_PARAMS_INVALID');
    assert.match(error.message, /mask:k \(from @acme\/plugin-masks\).*params\/k must be >= 0/);
    const own = await rejection(
      registry.create('mask', { id: 'mask:k', params: { kk: 1 } }, ctx, {
        invalidParams: (problems) => new LookrightError('MY_CODE', problems.map((p) => p.message).join()),
      }),
    );
    assert.equal(own.code, 'MY_CODE');
    assert.match(own.message, /additional properties/);
    assert.equal(created, false);
  });

  it('names the plugin id and its package when create throws, keeping the original as cause', async () => {
    const boom = new TypeError('cannot read properties of undefined');
    const registry = registryOf(
      mask('mask:broken', () => {
        throw boom;
      }),
    );
    const error = await rejection(registry.create('mask', { id: 'mask:broken' }, ctx));
    assert.ok(error instanceof PluginError);
    assert.equal(error.code, 'PLUGIN_ERROR');
    assert.equal(error.pluginId, 'mask:broken');
    assert.equal(error.pluginPackage, '@acme/plugin-masks');
    assert.match(error.message, /^mask:broken \(from @acme\/plugin-masks\) failed in create: cannot read properties/);
    assert.equal(error.cause, boom);
  });

  it('keeps the code and hint of a coded error thrown by an async create', async () => {
    const registry = registryOf(
      mask('mask:offline', async () => {
        throw new LookrightError('HUB_NOT_CACHED', 'org/model is not in the cache', 'Download it first.');
      }),
    );
    const error = await rejection(registry.create('mask', { id: 'mask:offline' }, ctx));
    assert.equal(error.code, 'HUB_NOT_CACHED');
    assert.equal(error.hint, 'Download it first.');
    assert.match(error.message, /mask:offline \(from @acme\/plugin-masks\).*org\/model is not in the cache/);
  });

  it('refuses an instance that does not have its extension point’s members', async () => {
    const registry = registryOf(
      mask('mask:shapeless', () => ({ label: 'x', specs: () => [] })),
      mask('mask:nothing', () => undefined),
      {
        id: 'tracker:mute',
        kind: 'tracker',
        summary: 'no deliver',
        paramsSchema: { type: 'object' },
        create: () => ({ name: 'mute', deliver: 'never' }),
      },
      {
        id: 'input:flat',
        kind: 'input',
        summary: 'no apply',
        paramsSchema: { type: 'object' },
        create: () => ({ label: 'flat', context: 'as-masked', expandedLength: (n: number) => n }),
      },
    );
    const shapeless = await rejection(registry.create('mask', { id: 'mask:shapeless' }, ctx));
    assert.equal(shapeless.code, 'PLUGIN_CONTRACT');
    assert.match(
      shapeless.message,
      /mask:shapeless \(from @acme\/plugin-masks\) did not create a MaskStrategy: layerSpecs is missing/,
    );
    const nothing = await rejection(registry.create('mask', { id: 'mask:nothing' }, ctx));
    assert.match(nothing.message, /did not create a MaskStrategy: it is undefined/);
    const mute = await rejection(registry.create('tracker', { id: 'tracker:mute' }, ctx));
    assert.match(mute.message, /did not create a Tracker: deliver is a string, not a function/);
    const flat = await rejection(registry.create('input', { id: 'input:flat' }, ctx));
    assert.match(
      flat.message,
      /input:flat \(from @acme\/plugin-masks\) did not create an? InputTransform: apply is missing/,
    );
  });

  it('looks the id up among the plugins of the kind asked for', async () => {
    const registry = registryOf(mask('mask:k', () => ({ label: 'k', layerSpecs: () => [] })));
    const error = await rejection(registry.create('tracker', { id: 'mask:k' }, ctx));
    assert.equal(error.code, 'PLUGIN_UNKNOWN_ID');
  });
});
