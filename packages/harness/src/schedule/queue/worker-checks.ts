import type { PluginRegistry } from '@lookright/core';
import { harnessErrors } from '../../errors.js';
import type { Cell } from '../../expand/cell-types.js';

/**
 * Refuses a cell that names a plugin this machine has at another version (QUEUE_PLUGIN_MISMATCH): its numbers
 * could differ from what its hash promises. Plugins this registry does not know (a suite's own plugin files) are
 * loaded by the runner from the cell's suite, which fails loudly if they are missing.
 */
export function checkCellPlugins(cell: Cell, registry: PluginRegistry): void {
  const { backbone, mask, dataset, head } = cell.config;
  const versions = new Map(registry.all().map((p) => [p.descriptor.id, p.origin.packageVersion]));
  for (const plugin of [backbone, mask, dataset, head]) {
    const found = versions.get(plugin.id);
    if (found !== undefined && found !== plugin.plugin.version)
      throw harnessErrors.queuePluginMismatch(cell.hash, plugin.id, plugin.plugin.version, found);
  }
}
