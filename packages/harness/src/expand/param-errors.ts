/** Codes of errors that say a suite's params are impossible, wherever it runs (not that data is missing here). */
const impossibleParamCodes = new Set(['DATASET_BAD_PARAM', 'MODEL_CONFIG_SIZES', 'MODEL_PRETRAIN_OBJECTIVE']);

/**
 * Whether an error raised while opening a plugin says its params are impossible (e.g. a synthetic data set's
 * deciding word beyond the sentence, attention heads that do not divide the hidden size). Such errors are raised
 * even when missing data is only marked (`validate`, `--dry-run`): no machine could run those cells. Checked by
 * shape, as plugins may load their own copy of core's error class.
 */
export function isImpossibleParamError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && impossibleParamCodes.has(code);
}
