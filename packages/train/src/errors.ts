import { LookrightError } from '@lookright/core';

/** Every error @lookright/train raises on purpose: coded, naming what failed, with a hint. */
export const trainErrors = {
  nonFiniteLoss: (step: number, value: number) =>
    new LookrightError(
      'TRAIN_NON_FINITE_LOSS',
      `loss became ${value} at optimiser step ${step}`,
      'Lower recipe.learningRate, keep clipNorm set, or check the inputs of that step; the run was stopped.',
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
      'Training needs train and dev splits (dev drives model selection); test is optional.',
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
};
