import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StrategyNames } from './strategy-names.js';

/**
 * package.json, tsconfig.json and README.md of a new mask-strategy package. The package declares no dependencies:
 * lookright resolves `@lookright/*` and inversify for it to its own copies, so it needs no install. tsconfig.json
 * points the same names at the checkout at `lookrightRoot`, for the editor and for `tsc -p`.
 */
export function packageFiles(n: StrategyNames, lookrightRoot: string): Record<string, string> {
  const corePackage = join(lookrightRoot, 'packages', 'core');
  const packageJson = {
    name: n.packageName,
    version: '0.1.0',
    private: true,
    description: `lookright mask strategy ${n.id}`,
    type: 'module',
    exports: { '.': './src/index.ts' },
    lookright: { plugin: './src/module.ts' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      lib: ['es2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: true,
      experimentalDecorators: true,
      types: ['node', 'mocha'],
      typeRoots: [join(lookrightRoot, 'node_modules', '@types')],
      paths: {
        '@lookright/core': [join(corePackage, 'src', 'index.ts')],
        // the declarations beside the entry @lookright/core resolves (a folder is not accepted here)
        inversify: [createRequire(join(corePackage, 'package.json')).resolve('inversify').replace(/\.js$/, '.d.ts')],
      },
    },
    include: ['src/**/*.ts'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'README.md': readme(n, lookrightRoot),
  };
}

function readme(n: StrategyNames, lookrightRoot: string): string {
  return `# ${n.packageName}

The lookright mask strategy \`${n.id}\`: a share of the decoder's layers, counted from the input (or from the
output) end, is bidirectional; the others stay causal. It is a starting point: change \`layerSpecs\` in
[src/${n.name}.ts](src/${n.name}.ts) to your own assignment, and the tests in
[src/${n.name}.spec.ts](src/${n.name}.spec.ts) with it.

This folder needs no \`npm install\`: lookright gives plugin packages its own \`@lookright/core\` and \`inversify\`.
\`tsconfig.json\` points your editor at the lookright checkout this package was made from
(\`${lookrightRoot}\`); edit its paths if that checkout moves.

| file | what it holds |
|---|---|
| \`src/${n.name}.ts\` | the descriptor: id, params schema, \`create\` returning the strategy |
| \`src/errors.ts\` | the coded errors the strategy raises |
| \`src/module.ts\` | the plugin module lookright loads: bindings only |
| \`src/index.ts\` | what other code may import |
| \`src/${n.name}.spec.ts\` | the tests |

From the lookright checkout (give this folder's path):

\`\`\`sh
pnpm lookright test-plugin <this folder>                 # run the spec files under src/
pnpm exec tsc -p <this folder>                           # type-check against lookright's sources
pnpm lookright audit-mask --model <checkpoint> --mask ${n.id} --plugin <this folder>
\`\`\`

In a suite, list this folder under \`plugins:\` (a path relative to the suite file) and use the id on the mask axis:

\`\`\`yaml
plugins:
  - ./path/to/this/folder
axes:
  mask:
    - ${n.id}
    - { id: ${n.id}, params: { share: 0.25, from: output } }
\`\`\`

The guide: docs/writing-a-mask-strategy.md in the lookright checkout.
`;
}
