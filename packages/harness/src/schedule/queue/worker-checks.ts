import type { PluginRegistry } from '@lookright/core';
import { harnessErrors } from '../../errors.js';
import type { Cell, ResolvedPlugin } from '../../expand/cell-types.js';
import { interpolateEnv } from '../../expand/interpolate-env.js';

/**
 * Refuses a cell that names a plugin package this machine has at another version (QUEUE_PLUGIN_MISMATCH): its
 * numbers could differ from what its hash promises. Routing (queue-capability.ts) keeps such cells away from this
 * worker; this is the last guard. Packages this registry does not have (a suite's own plugin list) are loaded by
 * the runner from the cell's suite, which fails loudly if they are missing.
 */
export function checkCellPlugins(cell: Cell, registry: PluginRegistry): void {
  const { backbone, mask, dataset, head, input } = cell.config;
  const versions = new Map(registry.all().map((p) => [p.origin.packageName, p.origin.packageVersion]));
  for (const plugin of [backbone, mask, dataset, head, ...(input ? [input] : [])]) {
    const found = versions.get(plugin.plugin.package);
    if (found !== undefined && found !== plugin.plugin.version)
      throw harnessErrors.queuePluginMismatch(cell.hash, plugin.id, plugin.plugin.version, found);
  }
}

/**
 * The cell with each plugin's params interpolated again from the params as written, with this machine's
 * environment: `${LOOKRIGHT_DATA_DIR}` may point elsewhere on a worker than on the submitting machine. The hash is
 * unchanged (it covers the params as written); an unset variable is the usual ENV_VARIABLE_UNSET error.
 */
export function withLocalEnvironment(cell: Cell, env: Readonly<Record<string, string | undefined>>): Cell {
  const redo = <T extends ResolvedPlugin>(plugin: T, axis: string): T => ({
    ...plugin,
    params: interpolateEnv(plugin.paramsAsWritten, env, `${cell.config.suite.file} /axes/${axis}/params`),
  });
  const { backbone, mask, dataset, head } = cell.config;
  return {
    ...cell,
    config: {
      ...cell.config,
      backbone: redo(backbone, 'backbone'),
      mask: redo(mask, 'mask'),
      dataset: redo(dataset, 'dataset'),
      head: redo(head, 'head'),
    },
  };
}
