import { LookrightError } from '@lookright/core';

/** The errors the CLI's own commands raise (plugins, suites and models raise their packages' errors). */
export const cliErrors = {
  badStrategyId: (id: string) =>
    new LookrightError(
      'NEW_BAD_ID',
      `${JSON.stringify(id)} is not a usable mask strategy id`,
      'Give --id mask:<name>, the name lower-case letters, digits and dashes starting with a letter, e.g. --id mask:every-third.',
    ),
  targetNotEmpty: (dir: string) =>
    new LookrightError(
      'NEW_TARGET_NOT_EMPTY',
      `${dir} already exists and is not empty; nothing was written`,
      'Give a new or empty folder, so no file of yours is overwritten.',
    ),
  notAPluginPackage: (dir: string) =>
    new LookrightError(
      'TEST_PLUGIN_NOT_A_PACKAGE',
      `${dir} has no package.json with a "lookright": {"plugin": ...} field`,
      'Give the folder `lookright new mask-strategy` wrote (or another plugin package).',
    ),
  noSpecFiles: (dir: string) =>
    new LookrightError(
      'TEST_PLUGIN_NO_SPECS',
      `no *.spec.ts or *.spec.js file under ${dir}/src`,
      'Tests live beside the code, e.g. src/my-strategy.spec.ts.',
    ),
};
