/**
 * The architecture lookright keeps (docs/plugins.md, DESIGN.md "Dependencies point one way"), checked by
 * `pnpm arch` (run by `pnpm lint`). A violation fails with the rule's name. Paths are after pnpm's workspace
 * links are resolved, so `@lookright/engine` is packages/engine/src/....
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-workspace-package',
      comment: 'core holds the contracts every other package builds on; it imports none of them.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/(?!core/)|plugins/)' },
    },
    {
      name: 'plugins-import-only-core-engine-text',
      comment: 'a plugin package builds on core, engine and text only (not train, harness, cli or another plugin).',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/' },
      to: { path: '^(packages/(?!(core|engine|text)/)|plugins/(?!$1/))' },
    },
    {
      name: 'harness-not-into-native-or-tfjs',
      comment: 'the harness schedules and records cells; tensors and native kernels are train/engine business.',
      severity: 'error',
      from: { path: '^packages/harness/' },
      to: { path: '^(packages/native/|node_modules/(\\.pnpm/)?@tensorflow)' },
    },
    {
      name: 'no-relative-import-into-another-package',
      comment: 'import another workspace package by its name (@lookright/...), never its src/ by a relative path.',
      severity: 'error',
      from: { path: '^(packages|plugins)/([^/]+)/' },
      to: { dependencyTypes: ['local'], path: '^(packages|plugins)/', pathNot: '^$1/$2/' },
    },
    {
      name: 'no-cycle-between-folders',
      comment: 'folders of a package depend one way; a loop means a piece belongs in a lower folder.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(packages|plugins)/[^/]+/src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // specs may cross folders (an integration spec in tracking/ drives run/); the rules hold for the sources
    exclude: { path: '\\.spec\\.ts$' },

    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
