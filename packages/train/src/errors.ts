import { LookrightError } from '@lookright/core';

/** Every error @lookright/train raises on purpose: coded, naming what failed, with a hint. */
export const trainErrors = {
  nonFiniteLoss: (step: number, value: number) =>
    new LookrightError(
      'TRAIN_NON_FINITE_LOSS',
      `loss became ${value} at optimiser step ${step}`,
      'Lower recipe.learningRate, keep clipNorm set, or check the inputs of that step; the run was stopped.',
    ),
  pretrainCancelled: (step: number) =>
    new LookrightError(
      'PRETRAIN_CANCELLED',
      `pre-training was cancelled after ${step} optimiser step(s); no checkpoint was written`,
      'The run that started it stopped; run it again (a pre-training cell starts over).',
    ),
  nonFiniteGradNorm: (step: number, value: number) =>
    new LookrightError(
      'TRAIN_NON_FINITE_GRADIENT',
      `the gradient norm became ${value} at optimiser step ${step}`,
      'Lower recipe.learningRate, keep clipNorm set, or check the inputs of that step; the run was stopped.',
    ),
  cancelled: (step: number) =>
    new LookrightError(
      'TRAIN_CANCELLED',
      `training was cancelled at optimiser step ${step} (the caller asked it to stop)`,
      'Run the cell again; it resumes from its last checkpoint.',
    ),
  badSchedule: (what: string) =>
    new LookrightError(
      'TRAIN_BAD_SCHEDULE',
      `invalid schedule: ${what}`,
      'Check recipe.warmupRatio and the step counts.',
    ),
  noSplit: (dataset: string, split: string) =>
    new LookrightError(
      'TRAIN_MISSING_SPLIT',
      `dataset ${dataset} has no ${split} split`,
      split === 'dev'
        ? "Training needs a dev split (it drives model selection): for data published without one, hold out the last training sentences with dataset:conll2000's devFromTrain param."
        : 'Training needs train and dev splits (dev drives model selection); test is optional.',
    ),
  emptyTrainSet: (dataset: string) =>
    new LookrightError(
      'TRAIN_EMPTY_TRAIN_SET',
      `dataset ${dataset} yielded no trainable sentence`,
      'Check recipe.trainLimit and the dataset files.',
    ),
  checkpointCorrupt: (file: string, reason: string) =>
    new LookrightError(
      'TRAIN_CHECKPOINT_CORRUPT',
      `checkpoint ${file} is refused: ${reason}`,
      'Delete the file (the run then starts from the beginning) or restore it from a copy; it was not used.',
    ),
  checkpointMismatch: (file: string, what: string) =>
    new LookrightError(
      'TRAIN_CHECKPOINT_MISMATCH',
      `checkpoint ${file} belongs to another run: ${what}`,
      'Use a fresh output folder for a changed configuration, or delete the checkpoint.',
    ),
  cellInvalid: (where: string, key: string, problem: string) =>
    new LookrightError(
      'TRAIN_CELL_INVALID',
      `${where}: cell config at ${key}: ${problem}`,
      'A cell needs backbone, mask, dataset, head and output; recipe keys are those of a suite recipe.',
    ),
  cellUnreadable: (file: string, reason: string) =>
    new LookrightError('TRAIN_CELL_UNREADABLE', `cannot read cell file ${file}: ${reason}`, 'Check the path.'),
  maskNotApplicable: (backbone: string, mask: string, problem: string) =>
    new LookrightError(
      'TRAIN_MASK_NOT_APPLICABLE',
      `${mask} cannot be applied to ${backbone}: ${problem}`,
      'Choose a mask strategy that fits this backbone.',
    ),
  unsupportedRecipe: (key: string, value: unknown, supported: string) =>
    new LookrightError(
      'TRAIN_RECIPE_UNSUPPORTED',
      `recipe.${key} = ${JSON.stringify(value)} is not supported by this trainer`,
      `Use ${supported}.`,
    ),
  exportUnsupportedHead: (type: string) =>
    new LookrightError(
      'TRAIN_EXPORT_HEAD_UNSUPPORTED',
      `a head of type "${type}" cannot be exported: only the linear and CRF heads have a known tensor layout`,
      'Use head:linear or head:crf for cells you want to export; the cell itself ran and its checkpoint is intact.',
    ),
  exportInvalid: (file: string, key: string, problem: string) =>
    new LookrightError(
      'TRAIN_EXPORT_INVALID',
      `${file}: ${key}: ${problem}`,
      'The folder is not an adapter lookright exported (or was edited); export the cell again with `lookright export`.',
    ),
  exportMismatch: (file: string, what: string, recorded: string, now: string) =>
    new LookrightError(
      'TRAIN_EXPORT_MISMATCH',
      `${file} records ${what} ${recorded}, but the plugins now give ${now}`,
      'Predict with the same dataset files and plugin versions the cell was trained with (or pass the right --base-dir).',
    ),
  maxLengthTooSmallForInput: (input: string, maxLength: number) =>
    new LookrightError(
      'TRAIN_MAXLENGTH_TOO_SMALL_FOR_INPUT',
      `recipe.maxLength ${maxLength} leaves no room for one word once input ${input} expands the sentence`,
      'maxLength bounds the expanded sequence: raise recipe.maxLength (about r times the sentence length for input:repeat).',
    ),
  inputTransformBroken: (input: string, words: number, positions: number, length: number) =>
    new LookrightError(
      'TRAIN_INPUT_TRANSFORM_BROKEN',
      `input ${input} returned ${positions} label position(s) for ${words} word(s) and ${length} token(s)`,
      'An input transform must return one position per word and no more tokens than its expandedLength promised; fix the plugin.',
    ),
  inputAuditMismatch: (input: string, context: string, word: number, table: string) =>
    new LookrightError(
      'TRAIN_INPUT_AUDIT_MISMATCH',
      `input ${input} declares ${context}, but word ${word}'s label position sees otherwise:\n${table}`,
      'Fix the transform: read each label where the declared context is visible and nothing more (e.g. from the last copy, with no copy after it), or change its declared context.',
    ),
};
