import { basename } from 'node:path';
import { type DatasetSource, definePlugin, type SplitName, type TaggedCorpus } from '@lookright/core';
import { buildCorpus } from '../corpus/build-corpus.js';
import { loadColumnSplits, missingSplitFile } from '../corpus/load-column-splits.js';
import { datasetErrors } from '../errors.js';
import { locateDataset } from '../location/locate-dataset.js';
import { limitParam, lineEndingsParam, pathParam } from './common-params.js';

const id = 'dataset:conll';

/**
 * Any one-token-a-line column file (ACE05 triggers, OntoNotes NER, in-house data): the user says which column holds
 * the word and which the tag, how columns are separated and which tag scheme the file uses.
 */
export const conll = definePlugin({
  id,
  kind: 'dataset',
  summary: 'any CoNLL-style column file: word/tag columns, separator, tag scheme, -DOCSTART- and comments',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['files'],
    properties: {
      files: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: {
          train: { type: 'string', minLength: 1 },
          dev: { type: 'string', minLength: 1 },
          test: { type: 'string', minLength: 1 },
        },
        description: 'File name of each split, relative to the dataset folder.',
      },
      path: pathParam,
      name: { type: 'string', minLength: 1, description: 'Folder under LOOKRIGHT_DATA_DIR; also the corpus name.' },
      wordColumn: { type: 'integer', default: 0, description: '0-based; negative counts from the end.' },
      tagColumn: { type: 'integer', default: -1, description: '0-based; negative counts from the end (-1 = last).' },
      columns: {
        type: 'integer',
        minimum: 1,
        description: 'Exact column count; default: fixed by the first token line.',
      },
      separator: {
        type: 'string',
        enum: ['space', 'tab', 'whitespace'],
        default: 'space',
        description: 'space: one space (a tab is an error); tab: one tab; whitespace: any run of spaces/tabs.',
      },
      scheme: {
        type: 'string',
        enum: ['iob1', 'iob2', 'bioes', 'none'],
        default: 'iob2',
        description: 'Scheme of the tag column; iob1 is converted to iob2, none is for POS-like tags.',
      },
      labels: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        description: 'Closed label set as written in the file; any other tag is an error.',
      },
      docstart: { type: 'boolean', default: true, description: 'Skip -DOCSTART- lines (document boundaries).' },
      commentPrefix: { type: 'string', minLength: 1, description: 'Lines starting with it are comments (e.g. "# ").' },
      limit: limitParam,
      lineEndings: lineEndingsParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    const files = params.files as Partial<Record<SplitName, string>>;
    if (Object.keys(files ?? {}).length === 0)
      throw datasetErrors.badParam(id, 'files', 'at least one of train, dev, test', 'is empty');
    return {
      async load(): Promise<TaggedCorpus> {
        const location = locateDataset(
          {
            plugin: id,
            what: `column files ${Object.values(files).join(', ')}`,
            path: params.path,
            dataDirName: params.name,
            missingIn: missingSplitFile(files),
          },
          ctx,
        );
        const dir = location.kind === 'folder' ? location.dir : location.snapshotDir;
        const scheme = params.scheme ?? 'iob2';
        const parts = loadColumnSplits(
          dir,
          files,
          {
            wordColumn: params.wordColumn ?? 0,
            tagColumn: params.tagColumn ?? -1,
            columns: params.columns,
            separator: params.separator ?? 'space',
            scheme,
            labels: params.labels,
            docstart: params.docstart ?? true,
            commentPrefix: params.commentPrefix,
          },
          params.lineEndings ?? 'lf',
        );
        return buildCorpus({
          name: params.name ?? basename(dir),
          labelScheme: scheme,
          limit: params.limit,
          warnings: [],
          ...parts,
        });
      },
    };
  },
});
