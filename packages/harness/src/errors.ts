import { LookrightError } from '@lookright/core';

/** Every error the harness raises on purpose: coded, naming the file/cell/key, with a hint saying what to do. */
export const harnessErrors = {
  envVariableUnset: (variable: string, where: string) =>
    new LookrightError(
      'SUITE_ENV_UNSET',
      `${where} refers to \${${variable}}, but ${variable} is not set`,
      `Set ${variable} (e.g. export ${variable}=/path/to/data) or write the path out in the suite.`,
    ),
  envVariableRefused: (variable: string, where: string) =>
    new LookrightError(
      'SUITE_ENV_REFUSED',
      `${where} refers to \${${variable}}; only LOOKRIGHT_* variables without TOKEN/PASSWORD/SECRET/KEY in the name may be interpolated`,
      'Secrets must never end up in params or logs; pass credentials through the environment the plugin reads.',
    ),
  paramsInvalid: (pluginId: string, where: string, detail: string) =>
    new LookrightError(
      'CELL_PARAMS_INVALID',
      `params of ${pluginId} at ${where} are invalid after expansion: ${detail}`,
      'Check the suite entry; a grid or override produced params the plugin does not accept.',
    ),
  recipeInvalid: (cell: string, detail: string) =>
    new LookrightError(
      'CELL_RECIPE_INVALID',
      `the recipe of cell ${cell} is invalid after applying overrides: ${detail}`,
      'Check the overrides: entries whose when: matches this cell.',
    ),
  maskNotApplicable: (suiteFile: string, pairs: readonly { backbone: string; mask: string; reason: string }[]) =>
    new LookrightError(
      'SUITE_MASK_NOT_APPLICABLE',
      `suite ${suiteFile} pairs backbones with masks they cannot take: ${pairs
        .slice(0, 6)
        .map((p) => `${p.backbone} × ${p.mask}: ${p.reason}`)
        .join('; ')}${pairs.length > 6 ? `; ... (${pairs.length} pairs)` : ''}`,
      'Keep these pairs out with include:/exclude: filters, e.g. include: [{backbone: <decoder>, mask: mask:groups}, {backbone: <encoder>, mask: mask:bidirectional}].',
    ),
  noCells: (suiteFile: string) =>
    new LookrightError(
      'SUITE_NO_CELLS',
      `suite ${suiteFile} expands to no cells after include/exclude filters`,
      'Loosen the include: filters or remove exclude: entries.',
    ),
  datasetUnavailable: (datasetId: string, where: string, reason: string) =>
    new LookrightError(
      'DATASET_UNAVAILABLE',
      `dataset ${datasetId} at ${where} could not be read to fingerprint its files: ${reason}`,
      'Provide the data (see the dataset plugin docs for where it looks) or remove it from the suite.',
    ),
  storeSchemaTooNew: (file: string, found: number, known: number) =>
    new LookrightError(
      'STORE_SCHEMA_TOO_NEW',
      `store ${file} has schema version ${found}, newer than this lookright knows (${known})`,
      'Use a newer lookright, or give another --store directory.',
    ),
  storeUnopenable: (file: string, reason: string) =>
    new LookrightError(
      'STORE_UNOPENABLE',
      `cannot open run store ${file}: ${reason}`,
      'Check --store and permissions.',
    ),
  staleAttempt: (cellHash: string, attemptId: number) =>
    new LookrightError(
      'CELL_ATTEMPT_STALE',
      `attempt ${attemptId} of cell ${cellHash} no longer owns the cell; its result was not recorded`,
      'Another harness reclaimed the cell; nothing to do.',
    ),
  artifactMissing: (cellHash: string, path: string) =>
    new LookrightError(
      'CELL_ARTIFACT_MISSING',
      `cell ${cellHash} reported artifact ${path}, which does not exist`,
      'A cell runner must write every artifact it reports before returning.',
    ),
  metricNotFinite: (cellHash: string, name: string, value: number) =>
    new LookrightError(
      'CELL_METRIC_NOT_FINITE',
      `cell ${cellHash} reported metric ${name} = ${value}`,
      'A metric must be a finite number; the trainer should stop with an error instead.',
    ),
  cellTimedOut: (cellHash: string, seconds: number, logFile: string) =>
    new LookrightError(
      'CELL_TIMEOUT',
      `cell ${cellHash} ran longer than its limit of ${seconds} s and was killed (log: ${logFile})`,
      'Raise --cell-timeout, or shrink the recipe (trainLimit, maxSteps).',
    ),
  cellOutOfMemory: (cellHash: string, rssMiB: number, limitMiB: number, logFile: string) =>
    new LookrightError(
      'CELL_MEMORY',
      `cell ${cellHash} used ${rssMiB} MiB resident memory, over its limit of ${limitMiB} MiB, and was killed (log: ${logFile})`,
      'Raise --cell-memory, use fewer --workers, or shrink batchSize / maxLength.',
    ),
  cellCrashed: (cellHash: string, how: string, logFile: string) =>
    new LookrightError(
      'CELL_CRASHED',
      `the worker process of cell ${cellHash} ${how} (log: ${logFile})`,
      'Read the log; a crash in native code or an out-of-memory kill ends the process without an error message.',
    ),
  runnerInvalid: (module: string, exportName: string, reason: string) =>
    new LookrightError(
      'CELL_RUNNER_INVALID',
      `cell runner ${exportName} from ${module} is unusable: ${reason}`,
      'A cell runner module exports an object with id, version and run(cell, ctx).',
    ),
  badOption: (option: string, value: string, expected: string) =>
    new LookrightError('RUN_BAD_OPTION', `${option} ${value}: expected ${expected}`, `Fix ${option}.`),
  nothingToReport: (suite: string, metric: string) =>
    new LookrightError(
      'REPORT_EMPTY',
      `suite ${suite} has no FINISHED cell with metric ${metric}`,
      'Run the suite first (`lookright run <suite.yaml>`), or pick a metric the cells logged with --metric.',
    ),
  unknownSuite: (suite: string, known: readonly string[]) =>
    new LookrightError(
      'REPORT_UNKNOWN_SUITE',
      `the store has no suite named ${suite}`,
      known.length ? `Suites in this store: ${known.join(', ')}.` : 'The store is empty: run a suite first.',
    ),
};
