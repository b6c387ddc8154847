import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A descriptor as it appears in a generated plugin module. */
export interface TempDescriptor {
  id: string;
  kind: string;
  summary?: string;
  paramsSchema?: object;
  shorthands?: { text?: { match: string; param: string }; grid?: { param: string } };
  isDefault?: boolean;
}

/** Minimal working instances per kind, so a suite over these plugins validates and expands like a real one. */
const instancesSource = `const instances = {
  mask: (params) => ({ label: 'test', layerSpecs: (n) => Array.from({ length: n }, () => ({ kind: 'causal' })) }),
  backbone: () => ({ architecture: 'decoder', modelDir: '.', numLayers: 2, checkMasks: () => null, load: async () => { throw new Error('a test backbone has no weights'); } }),
  dataset: () => ({ load: async () => ({ name: 'test', scheme: 'iob2', labels: ['O', 'B-X'], splits: { train: [{ words: ['a'], tags: ['B-X'] }], dev: [{ words: ['b'], tags: ['O'] }] }, files: [], warnings: [] }) }),
  head: () => ({ type: 'test', build: () => { throw new Error('a test head has no tensors'); } }),
  tracker: () => ({ name: 'test', deliver: async () => {} }),
};`;

const serviceKey: Record<string, string> = {
  mask: 'lookright.MaskStrategy',
  backbone: 'lookright.Backbone',
  dataset: 'lookright.DatasetSource',
  head: 'lookright.Head',
  tracker: 'lookright.Tracker',
};

/**
 * Writes a real plugin package (package.json with `lookright.plugin`, a JS module default-exporting an inversify
 * ContainerModule) into a fresh folder outside the workspace, with inversify linked into its node_modules as a
 * researcher's install would have it. Returns the folder holding node_modules and the package folder.
 */
export function writeTempPluginPackage(
  name: string,
  descriptors: TempDescriptor[],
): { root: string; packageDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'lookright-plugin-'));
  const packageDir = join(root, 'node_modules', name);
  mkdirSync(packageDir, { recursive: true });
  const inversifyDir = dirname(dirname(realpathSync(createRequire(import.meta.url).resolve('inversify'))));
  symlinkSync(inversifyDir, join(root, 'node_modules', 'inversify'), 'dir');
  writeFileSync(
    join(packageDir, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', type: 'module', lookright: { plugin: './module.js' } }, null, 2),
  );
  const bindings = descriptors
    .map((d) => {
      const descriptor = {
        summary: `test plugin ${d.id}`,
        paramsSchema: { type: 'object', additionalProperties: false },
        ...d,
      };
      return `  bind(Symbol.for(${JSON.stringify(serviceKey[d.kind] ?? 'lookright.Unknown')})).toConstantValue({ ...${JSON.stringify(descriptor)}, create: (params) => instances[${JSON.stringify(d.kind)}](params) });`;
    })
    .join('\n');
  writeFileSync(
    join(packageDir, 'module.js'),
    `import { ContainerModule } from 'inversify';\n${instancesSource}\nexport default new ContainerModule(({ bind }) => {\n${bindings}\n});\n`,
  );
  return { root, packageDir };
}
