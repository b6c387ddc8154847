import type { MaskStrategy, PluginContext, PluginDescriptor } from '@lookright/core';

/** A plugin context for tests: the cwd, no environment, logs dropped. */
export const testContext: PluginContext = { baseDir: process.cwd(), env: {}, log: () => {} };

/** Creates a strategy from a descriptor the way the harness does (params as a suite gives them). */
export async function createStrategy(
  descriptor: PluginDescriptor<MaskStrategy, never>,
  params: Record<string, unknown>,
): Promise<MaskStrategy> {
  return await (descriptor as PluginDescriptor<MaskStrategy, Record<string, unknown>>).create(params, testContext);
}
