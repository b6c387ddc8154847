/** JSON-schema fragments shared by the dataset plugins' params (written `as const` so types flow through). */

export const pathParam = {
  type: 'string',
  minLength: 1,
  description:
    'Folder holding the dataset files, relative to the suite file. When given it is the only place looked at; ' +
    'otherwise LOOKRIGHT_DATA_DIR/<name>/ and then the hub cache are tried.',
} as const;

export const limitParam = {
  type: 'integer',
  minimum: 1,
  description: 'Keep only the first N sentences of each split (smoke runs); recorded in the corpus warnings.',
} as const;

export const lineEndingsParam = {
  enum: ['lf', 'any'],
  default: 'lf',
  description: "'lf' refuses CR LF line endings with an error naming the line; 'any' strips one trailing CR per line.",
} as const;

/** A hub repo to fall back to (its snapshot in the HF cache) when no local copy is found; defaults per plugin. */
export const hubRefParam = {
  type: 'object',
  additionalProperties: false,
  properties: {
    repo: { type: 'string', minLength: 3, description: 'Dataset repo id, org/name.' },
    revision: { type: 'string', minLength: 1, description: 'Branch, tag or commit.' },
  },
  description: 'Hugging Face dataset repo used as the last place to look (its snapshot in the HF cache).',
} as const;
