import { type DatasetSource, definePlugin, type TaggedCorpus } from '@lookright/core';
import { buildCorpus, holdOutDev } from '../corpus/build-corpus.js';
import { loadColumnSplits, missingSplitFile } from '../corpus/load-column-splits.js';
import { loadHubSplits } from '../hub/load-hub-splits.js';
import { locateOrFetchDataset } from '../location/locate-dataset.js';
import { hubRefParam, limitParam, lineEndingsParam, pathParam } from './common-params.js';

/** The published files; CoNLL-2000 has no dev split. */
export const conll2000Files = { train: 'train.txt', test: 'test.txt' } as const;

export const conll2000 = definePlugin({
  id: 'dataset:conll2000',
  kind: 'dataset',
  summary: 'CoNLL-2000 chunking (WSJ, IOB2 chunk tags) or its POS column',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      task: {
        type: 'string',
        enum: ['chunk', 'pos'],
        default: 'chunk',
        description: 'chunk: column 3; pos: column 2.',
      },
      path: pathParam,
      name: { type: 'string', minLength: 1, default: 'conll2000', description: 'Folder under LOOKRIGHT_DATA_DIR.' },
      devFromTrain: {
        type: 'integer',
        minimum: 0,
        default: 0,
        description: 'Hold out the last N training sentences as the dev split (the data has none).',
      },
      limit: limitParam,
      lineEndings: lineEndingsParam,
      hub: hubRefParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    const task = params.task ?? 'chunk';
    return {
      async load(): Promise<TaggedCorpus> {
        const hub = {
          repo: params.hub?.repo ?? 'eriktks/conll2000',
          revision: params.hub?.revision ?? 'refs/convert/parquet',
        };
        const location = await locateOrFetchDataset(
          {
            plugin: 'dataset:conll2000',
            what: 'CoNLL-2000 (train.txt, test.txt)',
            path: params.path,
            dataDirName: params.name ?? 'conll2000',
            missingIn: missingSplitFile(conll2000Files),
            hub,
          },
          ctx,
        );
        const scheme = task === 'chunk' ? 'iob2' : 'none';
        const parts =
          location.kind === 'folder'
            ? {
                ...loadColumnSplits(
                  location.dir,
                  conll2000Files,
                  {
                    wordColumn: 0,
                    tagColumn: task === 'chunk' ? 2 : 1,
                    columns: 3,
                    separator: 'space',
                    scheme,
                    docstart: false,
                  },
                  params.lineEndings ?? 'lf',
                ),
                warnings: [],
              }
            : await loadHubSplits({
                snapshotDir: location.snapshotDir,
                repo: hub.repo,
                columns: { words: 'tokens', tags: task === 'chunk' ? 'chunk_tags' : 'pos_tags' },
                scheme,
                docstart: false,
              });
        const corpus = holdOutDev(
          { name: `conll2000-${task}`, labelScheme: scheme, limit: params.limit, ...parts },
          params.devFromTrain ?? 0,
        );
        return buildCorpus(corpus);
      },
    };
  },
});
