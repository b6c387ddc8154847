import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from '@commander-js/extra-typings';
import { register as registerAuditMask } from './commands/audit-mask.js';
import { register as registerEvalPredictions } from './commands/eval-predictions.js';
import { register as registerExport } from './commands/export.js';
import { register as registerInspect } from './commands/inspect.js';
import { register as registerMlflow } from './commands/mlflow.js';
import { register as registerNew } from './commands/new.js';
import { register as registerPlugins } from './commands/plugins.js';
import { register as registerPredict } from './commands/predict.js';
import { register as registerPretrain } from './commands/pretrain.js';
import { register as registerReport } from './commands/report.js';
import { register as registerRun } from './commands/run.js';
import { register as registerTestPlugin } from './commands/test-plugin.js';
import { register as registerTrain } from './commands/train.js';
import { register as registerValidate } from './commands/validate.js';
import { reportError } from './run-command.js';

/** The lookright version: the `version` of packages/cli/package.json. */
export function lookrightVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** The `lookright` command. Each command lives in commands/<name>.ts and is listed here explicitly. */
export function buildProgram(): Command {
  const program = new Command()
    .name('lookright')
    .description('which decoder layers should look right? mask-strategy experiments for sequence labelling')
    .version(lookrightVersion(), '-V, --version', 'print the lookright version')
    .option('--debug', 'show stack traces')
    .showHelpAfterError()
    .showSuggestionAfterError();
  registerPlugins(program);
  registerInspect(program);
  registerAuditMask(program);
  registerValidate(program);
  registerRun(program);
  registerTrain(program);
  registerPretrain(program);
  registerEvalPredictions(program);
  registerMlflow(program);
  registerReport(program);
  registerNew(program);
  registerTestPlugin(program);
  registerExport(program);
  registerPredict(program);
  return program;
}

/** Runs `lookright` on the process's arguments; a failure sets the exit code (see reportError). */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

/** Whether this file was started as the program (`node --import tsx src/main.ts`), not imported (bin, tests). */
function startedAsProgram(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (startedAsProgram()) await main();
