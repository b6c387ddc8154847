import { LookrightError } from '@lookright/core';

/** One dataset of a suite that could not be read: where the suite names it, why, and the reader's hint. */
export interface DataProblem {
  datasetId: string;
  /** JSON pointer of the dataset entry, e.g. /axes/dataset/1. */
  where: string;
  /** Line of that entry in the suite file. */
  line: number;
  /** The reader's message, naming the data file and line. */
  reason: string;
  hint?: string;
}

const formatDataProblem = (suiteFile: string) => (p: DataProblem) => {
  const reason = p.reason.startsWith(`${p.datasetId}:`) ? p.reason : `${p.datasetId}: ${p.reason}`;
  const text = `  ${suiteFile}:${p.line} at ${p.where}: ${reason}${p.hint ? `\n  → ${p.hint}` : ''}`;
  return text.replace(/\n/g, '\n    ').replace(/\n {4}( {2}→)/g, '\n  $1');
};

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
  datasetsUnavailable: (suiteFile: string, problems: readonly DataProblem[]) =>
    new LookrightError(
      'DATASET_UNAVAILABLE',
      `${problems.length} dataset(s) of suite ${suiteFile} cannot be read:\n${problems.map(formatDataProblem(suiteFile)).join('\n')}`,
      'Fix each data file as its line says (nothing was run); `lookright validate --no-data` checks a suite without reading its data.',
    ),
  datasetParamsImpossible: (datasetId: string, where: string, reason: string) =>
    new LookrightError(
      'DATASET_PARAMS_IMPOSSIBLE',
      `dataset ${datasetId} at ${where}/params: ${reason}`,
      'Fix that param in the suite: no machine can generate or read a corpus with these params.',
    ),
  storeSchemaTooNew: (file: string, found: number, known: number) =>
    new LookrightError(
      'STORE_SCHEMA_TOO_NEW',
      `store ${file} has schema version ${found}, newer than this lookright knows (${known})`,
      'Use a newer lookright, or give another --store directory.',
    ),
  storeCorrupt: (file: string, detail: string) =>
    new LookrightError(
      'STORE_CORRUPT',
      `run store ${file} is damaged (${detail})`,
      'Move the file aside (with any -wal and -shm file beside it) and restore it from a backup, or use another --store; sqlite3 `.recover` may save what is still readable.',
    ),
  storeNotFound: (dir: string, nearest: string | undefined) =>
    new LookrightError(
      'STORE_NOT_FOUND',
      `no run store in ${dir}`,
      nearest
        ? `Did you mean --store ${nearest}? Only \`lookright run\` creates a store.`
        : 'Give --store the folder a `lookright run` wrote to (default ./lookright-runs); only `run` creates a store.',
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
  reportArtifactUnreadable: (cellHash: string, file: string, reason: string) =>
    new LookrightError(
      'REPORT_ARTIFACT_UNREADABLE',
      `cell ${cellHash.slice(0, 12)}: ${file} is unreadable: ${reason}`,
      'The cell output was changed after the run: restore the file, or run the suite into a fresh --store.',
    ),
  unknownSuite: (suite: string, known: readonly string[]) =>
    new LookrightError(
      'REPORT_UNKNOWN_SUITE',
      `the store has no suite named ${suite}`,
      known.length ? `Suites in this store: ${known.join(', ')}.` : 'The store is empty: run a suite first.',
    ),
  cellPrefixInvalid: (prefix: string) =>
    new LookrightError(
      'EXPORT_CELL_PREFIX_INVALID',
      `"${prefix}" is not a cell hash or hash prefix (hex digits, at least 4)`,
      'Copy the hash from `lookright run --dry-run` or the report (the bracketed [0123abcd...] in progress lines).',
    ),
  unknownCell: (prefix: string, storeFile: string) =>
    new LookrightError(
      'EXPORT_UNKNOWN_CELL',
      `no cell in ${storeFile} has a hash starting with ${prefix}`,
      'Check --store and the hash (`lookright run <suite> --dry-run` lists the cells with their hashes).',
    ),
  ambiguousCell: (prefix: string, hashes: readonly string[]) =>
    new LookrightError(
      'EXPORT_AMBIGUOUS_CELL',
      `${hashes.length} cells have a hash starting with ${prefix}: ${hashes.map((h) => h.slice(0, 16)).join(', ')}`,
      'Give more of the hash.',
    ),
  cellNotFinished: (hash: string, status: string) =>
    new LookrightError(
      'EXPORT_CELL_NOT_FINISHED',
      `cell ${hash} is ${status}; only a FINISHED cell has weights to export`,
      'Run its suite to the end first (`lookright run <suite.yaml>`).',
    ),
  exportNotLora: (hash: string, outputDir: string) =>
    new LookrightError(
      'EXPORT_NOT_LORA',
      `cell ${hash} fine-tuned every weight (recipe.lora is false), so it has no LoRA adapter to export as PEFT`,
      `Its full weights are in the lookright checkpoint ${outputDir}/checkpoint.safetensors (params in trainable order, with the optimiser state); or set recipe.lora in the suite and run it again to get an adapter.`,
    ),
  exportMissing: (hash: string, outputDir: string) =>
    new LookrightError(
      'EXPORT_ADAPTER_MISSING',
      `cell ${hash} trained LoRA but ${outputDir} holds no peft/ adapter (a head type with no export layout, or a lookright that did not export yet)`,
      'The cell log says which; its weights are in checkpoint.safetensors of the same folder.',
    ),
  exportArtifactChanged: (hash: string, path: string) =>
    new LookrightError(
      'EXPORT_ARTIFACT_CHANGED',
      `${path} of cell ${hash} no longer has the sha256 the store recorded when the cell finished`,
      'The file was modified after the run; nothing was exported. Restore it or run the cell again.',
    ),
  queueUrlInvalid: (url: string, reason: string) =>
    new LookrightError(
      'QUEUE_URL_INVALID',
      `--queue ${url}: ${reason}`,
      'Give a Redis URL: redis://host:6379 or rediss://host:6380 (TLS); a password goes in REDIS_PASSWORD or the URL.',
    ),
  queueUnreachable: (url: string, reason: string) =>
    new LookrightError(
      'QUEUE_UNREACHABLE',
      `cannot reach Redis at ${url}: ${reason}`,
      'Start redis-server (see docs/distributed.md), check host, port, password and TLS, then run again.',
    ),
  queueTlsRejected: (url: string, reason: string) =>
    new LookrightError(
      'QUEUE_TLS_REJECTED',
      `Redis at ${url} presented a TLS certificate this machine does not trust: ${reason}`,
      'Set LOOKRIGHT_REDIS_CA to the PEM file of the CA that signed the Redis server certificate (see docs/distributed.md); the certificate must name the host of the URL.',
    ),
  queueCaUnreadable: (file: string, reason: string) =>
    new LookrightError(
      'QUEUE_CA_UNREADABLE',
      `LOOKRIGHT_REDIS_CA=${file}: ${reason}`,
      'Point LOOKRIGHT_REDIS_CA at the PEM file of the CA that signed the Redis server certificate, or unset it to trust the system CAs.',
    ),
  queueResultTooLarge: (cellHash: string, bytes: number, limitBytes: number) =>
    new LookrightError(
      'QUEUE_RESULT_TOO_LARGE',
      `cell ${cellHash} produced ${(bytes / 2 ** 20).toFixed(1)} MiB of compressed output, over the queue limit of ${(limitBytes / 2 ** 20).toFixed(1)} MiB; nothing was sent`,
      'Raise it with `lookright worker --max-result-mib`, configure an MLflow tracker (its files then travel as MLflow artifacts), or run the cell on the machine holding the store.',
    ),
  queueCellFileMismatch: (cellHash: string, path: string, what: string) =>
    new LookrightError(
      'QUEUE_CELL_FILE_MISMATCH',
      `file ${path} of cell ${cellHash}, fetched from its MLflow run, ${what}; the result was not recorded`,
      'Another attempt of the cell overwrote it, or the artifact store changed it: run the suite again to rerun the cell.',
    ),
  queueCellFilesUntracked: (cellHash: string, worker: string) =>
    new LookrightError(
      'QUEUE_CELL_FILES_UNTRACKED',
      `${worker} sent the files of cell ${cellHash} as MLflow artifacts, but this run has no MLflow tracker to fetch them from`,
      "Run the suite with the same tracker (MLFLOW_TRACKING_URI or the suite's trackers:) as when it was submitted.",
    ),
  queuePluginMismatch: (cellHash: string, pluginId: string, wanted: string, found: string) =>
    new LookrightError(
      'QUEUE_PLUGIN_MISMATCH',
      `cell ${cellHash} needs ${pluginId} version ${wanted}, this worker has ${found}; the worker would compute it differently and did not run it`,
      'Install the same plugin versions on every worker machine as on the submitting one.',
    ),
  queueBackendMismatch: (wanted: string, found: string, reason: string) =>
    new LookrightError(
      'QUEUE_BACKEND_MISMATCH',
      `--backend ${wanted}: on this machine backend auto resolves to ${found} (${reason})`,
      'Install the backend package (and a GPU driver for tensorflow-gpu) or start the worker without --backend.',
    ),
  cellNoWorker: (cells: number, queue: string, needs: string, why: string) =>
    new LookrightError(
      'QUEUE_NO_WORKER',
      `${cells} cell(s) wait in ${queue} and no connected worker can run them (they need ${needs}): ${why}`,
      'Start `lookright worker --queue <url>` on a machine with that runner, backend, native setting and those plugin versions.',
    ),
  pretrainCorpusUnavailable: (suiteFile: string, where: string, corpus: string, reason: string) =>
    new LookrightError(
      'PRETRAIN_CORPUS_UNAVAILABLE',
      `${suiteFile} at ${where}/params/pretrain/corpus: cannot read the pre-training corpus ${corpus}: ${reason}`,
      'Point corpus at a folder of .txt files (e.g. the gutenberg_nltk folder under LOOKRIGHT_DATA_DIR) and check that LOOKRIGHT_DATA_DIR is set.',
    ),
  pretrainOnQueue: (suiteFile: string, backbones: readonly string[]) =>
    new LookrightError(
      'PRETRAIN_QUEUE_UNSUPPORTED',
      `suite ${suiteFile} pre-trains ${backbones.join(', ')}; pre-training suites run locally for now (queue workers share no filesystem, so the checkpoint would not reach them)`,
      'Run this suite without --queue (the local pool), or pre-train once locally and name the checkpoint folder as `model` on every worker.',
    ),
  cellDependencyCycle: (cells: readonly string[]) =>
    new LookrightError(
      'CELL_DEPENDENCY_CYCLE',
      `cells ${cells.map((c) => c.slice(0, 10)).join(', ')} wait for cells of the same run that wait for them, so none can start`,
      'This is a bug in how the suite was expanded (a pre-training cell must not depend on a cell of its own suite); please report it with the suite file.',
    ),
  pretrainBlocked: (pretrainCell: string, backbone: string) =>
    new LookrightError(
      'PRETRAIN_BLOCKED',
      `not run: the pre-training cell ${pretrainCell.slice(0, 10)} of ${backbone} did not finish, so its checkpoint does not exist`,
      "See that cell's log (lookright run prints it); the next run pre-trains it again and then fine-tunes.",
    ),
  pretrainedCheckpointChanged: (pretrainCell: string, file: string, reason: string) =>
    new LookrightError(
      'PRETRAINED_CHECKPOINT_CHANGED',
      `the checkpoint of pre-training cell ${pretrainCell.slice(0, 10)} is not what the store recorded: ${file} ${reason}`,
      'Something changed or removed its files after it finished; delete that cell from the store (or the store) and run again to pre-train it anew.',
    ),
};
