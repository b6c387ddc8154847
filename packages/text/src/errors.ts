import { LookrightError } from '@lookright/core';

/** Coded factories for every error @lookright/text raises on purpose. */
export const textErrors = {
  badTag: (tag: string, where: string) =>
    new LookrightError(
      'TEXT_BAD_TAG',
      `${where}: ${JSON.stringify(tag)} is not a tag`,
      'Tags are O or P-TYPE with P one of B, I, E, S and a non-empty TYPE (e.g. B-PER).',
    ),
  tagNotInScheme: (tag: string, index: number, scheme: string, expected: string, where: string) =>
    new LookrightError(
      'TEXT_TAG_NOT_IN_SCHEME',
      `${where}: tag ${index + 1} is ${tag}, but scheme ${scheme} writes ${expected} there`,
      `Convert the tags to ${scheme} first (convertTags), or declare the scheme the data really uses.`,
    ),
  unknownScheme: (scheme: string, known: readonly string[]) =>
    new LookrightError(
      'TEXT_UNKNOWN_SCHEME',
      `unknown tag scheme ${JSON.stringify(scheme)}`,
      `Use one of: ${known.join(', ')}.`,
    ),
  predictionsUnreadable: (file: string, reason: string) =>
    new LookrightError('TEXT_PREDICTIONS_UNREADABLE', `cannot read ${file}: ${reason}`, 'Check the path.'),
  predictionsLine: (file: string, line: number, problem: string, expected: string) =>
    new LookrightError(
      'TEXT_PREDICTIONS_BAD_LINE',
      `${file}:${line}: ${problem}`,
      `Expected ${expected}. The format is conlleval's: one token a line, WORD ... GOLD PRED separated by spaces, a blank line between sentences.`,
    ),
  predictionsEmpty: (file: string) =>
    new LookrightError(
      'TEXT_PREDICTIONS_EMPTY',
      `${file} holds no tokens`,
      'Write one token a line (WORD ... GOLD PRED); an empty file has no score.',
    ),
  tagNotAllowedInScheme: (tag: string, scheme: string, where: string) =>
    new LookrightError(
      'TEXT_TAG_NOT_ALLOWED',
      `${where}: tag ${tag} has a prefix that scheme ${scheme} does not use`,
      `seqeval's strict mode refuses it too. Pick the scheme the tags are written in (iob1, iob2, ioe, bioes).`,
    ),
  lengthMismatch: (where: string, gold: number, pred: number) =>
    new LookrightError(
      'TEXT_LENGTH_MISMATCH',
      `${where}: ${gold} gold tags but ${pred} predicted tags`,
      'Give one predicted tag per gold tag; predictions for truncated words are O (see wordPredictions).',
    ),
  strictNeedsScheme: () =>
    new LookrightError(
      'TEXT_STRICT_NEEDS_SCHEME',
      'strict mode needs a tag scheme, but the scheme given is conlleval',
      'Use --scheme iob2, iob1, ioe or bioes with --mode strict; conlleval has one (lenient) mode only.',
    ),
  tokenizerMissing: (path: string, reason: string) =>
    new LookrightError(
      'TEXT_TOKENIZER_MISSING',
      `cannot read tokenizer ${path}: ${reason}`,
      "Point at a model folder holding the model's tokenizer.json (and tokenizer_config.json).",
    ),
  tokenizerInvalid: (path: string, reason: string) =>
    new LookrightError(
      'TEXT_TOKENIZER_INVALID',
      `${path}: ${reason}`,
      'Use an unmodified tokenizer.json as the transformers library saves it.',
    ),
  tokenizerUnsupported: (path: string, found: string) =>
    new LookrightError(
      'TEXT_TOKENIZER_UNSUPPORTED',
      `${path}: cannot tell how this tokenizer marks word starts (${found})`,
      'Supported: SentencePiece style (Metaspace pre-tokenizer or a normalizer that prepends U+2581), byte-level BPE (ByteLevel pre-tokenizer) and WordPiece.',
    ),
  unknownLabel: (tag: string, where: string, known: readonly string[]) =>
    new LookrightError(
      'TEXT_UNKNOWN_LABEL',
      `${where}: tag ${tag} is not in the label set`,
      `Known labels: ${known.join(', ')}. Build the label set from every split, or fix the tag.`,
    ),
  maxLengthTooSmall: (maxLength: number, specials: number) =>
    new LookrightError(
      'TEXT_MAX_LENGTH_TOO_SMALL',
      `maxLength ${maxLength} leaves no room for words after ${specials} special token(s)`,
      'Raise maxLength (the paper uses 128).',
    ),
  predictedLabelOutOfRange: (labels: number, id: number) =>
    new LookrightError(
      'TEXT_PREDICTED_LABEL_OUT_OF_RANGE',
      `predicted label id ${id} is outside the label set of ${labels} labels`,
      'Predictions are indices into the label list the split was aligned with.',
    ),
  predictionCountMismatch: (expected: number, found: number) =>
    new LookrightError(
      'TEXT_PREDICTION_COUNT',
      `expected one prediction per sub-word position (${expected}), got ${found}`,
      'Pass the predictions for exactly the positions of AlignedSentence.inputIds.',
    ),
};
