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
};
