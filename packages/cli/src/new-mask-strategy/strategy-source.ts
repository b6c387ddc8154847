import type { StrategyNames } from './strategy-names.js';

/**
 * The TypeScript sources of a new mask-strategy package: the descriptor, its errors, the binding-only module,
 * the public index and a spec. The strategy itself is a small working one (a share of the layers, from the input
 * or the output end, is bidirectional) meant to be edited.
 */
export function strategySources(n: StrategyNames): Record<string, string> {
  return {
    [`src/${n.name}.ts`]: descriptorSource(n),
    'src/errors.ts': errorsSource(n),
    'src/module.ts': moduleSource(n),
    'src/index.ts': indexSource(n),
    [`src/${n.name}.spec.ts`]: specSource(n),
  };
}

/** Re-exports, sorted by module path as biome's organizeImports wants them. */
function indexSource(n: StrategyNames): string {
  const errors = `export { ${n.camel}Errors } from './errors.js';`;
  const strategy = `export { ${n.camel}Mask, ${n.camel}Params } from './${n.name}.js';`;
  return `${(n.name < 'errors' ? [strategy, errors] : [errors, strategy]).join('\n')}\n`;
}

function descriptorSource(n: StrategyNames): string {
  return `import { bidirectional, causal, definePlugin, type MaskStrategy } from '@lookright/core';
import { ${n.camel}Errors } from './errors.js';

/** Params of \`${n.id}\`. Written \`as const\`: the type of \`params\` in \`create\` is derived from it. */
export const ${n.camel}Params = {
  type: 'object',
  additionalProperties: false,
  properties: {
    share: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1,
      default: 0.5,
      description: 'fraction of the layers made bidirectional (rounded to whole layers)',
    },
    from: {
      enum: ['input', 'output'],
      default: 'input',
      description: 'end of the layer stack the bidirectional layers start from',
    },
  },
} as const;

/**
 * \`${n.id}\`: round(share x L) layers, counted from the input (or from the output), see both ways; the others
 * stay causal. share 0.5 on 4 layers gives 1100, from the output 0011. Edit \`layerSpecs\` to your own assignment.
 */
export const ${n.camel}Mask = definePlugin<MaskStrategy, typeof ${n.camel}Params>({
  id: '${n.id}',
  kind: 'mask',
  summary: 'a share of the layers, from the input or the output end, is bidirectional; the others causal',
  paramsSchema: ${n.camel}Params,
  create({ share, from }) {
    if (!(share > 0 && share <= 1)) throw ${n.camel}Errors.badShare(share);
    return {
      label: \`${n.name}:\${share}:\${from}\`,
      layerSpecs(numLayers) {
        const open = Math.round(share * numLayers);
        if (open === 0) throw ${n.camel}Errors.nothingOpen(share, numLayers);
        return Array.from({ length: numLayers }, (_, layer) => {
          const depth = from === 'input' ? layer : numLayers - 1 - layer;
          return depth < open ? bidirectional : causal;
        });
      },
    };
  },
});
`;
}

function errorsSource(n: StrategyNames): string {
  return `import { LookrightError } from '@lookright/core';

/** The errors \`${n.id}\` raises, each naming the plugin and the param and saying what would fit. */
export const ${n.camel}Errors = {
  badShare: (share: unknown) =>
    new LookrightError(
      'MASK_${n.constant}_BAD_SHARE',
      \`${n.id}: params.share is \${JSON.stringify(share)}; it must be a number above 0 and at most 1\`,
      'Set params.share to the fraction of layers that should see both ways, e.g. 0.5.',
    ),
  nothingOpen: (share: number, numLayers: number) =>
    new LookrightError(
      'MASK_${n.constant}_NOTHING_OPEN',
      \`${n.id}: params.share = \${share} opens no layer of a model with \${numLayers} layers\`,
      \`Use a share of at least \${Math.ceil(500 / numLayers) / 1000}, or mask:causal for no bidirectional layer.\`,
    ),
};
`;
}

function moduleSource(n: StrategyNames): string {
  return `import { MaskStrategy } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { ${n.camel}Mask } from './${n.name}.js';

/** The plugin module lookright loads (package.json \`lookright.plugin\`): bindings only. */
export default new ContainerModule(({ bind }) => {
  bind(MaskStrategy).toConstantValue(${n.camel}Mask);
});
`;
}

function specSource(n: StrategyNames): string {
  return `import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry, maskSpecsToString, type ParamsOf } from '@lookright/core';
import { ${n.camel}Mask, type ${n.camel}Params } from './${n.name}.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = { baseDir: packageDir, env: {}, log: () => {} };

/** The layer assignment as the paper's 0/1 string (1: bidirectional), the layer nearest the input first. */
async function pattern(params: ParamsOf<typeof ${n.camel}Params>, numLayers: number): Promise<string> {
  const strategy = await ${n.camel}Mask.create(params, ctx);
  return maskSpecsToString(strategy.layerSpecs(numLayers));
}

describe('${n.id}', () => {
  it('makes the given share of layers bidirectional, from the chosen end', async () => {
    assert.equal(await pattern({ share: 0.5, from: 'input' }, 4), '1100');
    assert.equal(await pattern({ share: 0.5, from: 'output' }, 4), '0011');
    assert.equal(await pattern({ share: 0.25, from: 'input' }, 8), '11000000');
    assert.equal(await pattern({ share: 1, from: 'output' }, 1), '1');
  });

  it('refuses a share that opens no layer, naming the param', async () => {
    const strategy = await ${n.camel}Mask.create({ share: 0.1, from: 'input' }, ctx);
    assert.throws(() => strategy.layerSpecs(4), {
      code: 'MASK_${n.constant}_NOTHING_OPEN',
      message: /params\\.share = 0\\.1 opens no layer of a model with 4 layers/,
    });
  });

  it('is what lookright loads from this package', async () => {
    const registry = await loadRegistry({ workspace: false, extra: [packageDir] });
    const { origin } = registry.get('${n.id}');
    assert.equal(origin.packageName, '${n.packageName}');
    const call = { id: '${n.id}', params: { share: 0.5, from: 'output' } };
    const strategy = await registry.create('mask', call, ctx);
    assert.equal(maskSpecsToString(strategy.layerSpecs(6)), '000111');
  });
});
`;
}
