import { type DatasetSource, definePlugin, type TaggedCorpus } from '@lookright/core';
import { buildCorpus } from '../corpus/build-corpus.js';
import { loadColumnSplits, missingSplitFile } from '../corpus/load-column-splits.js';
import { loadHubSplits } from '../hub/load-hub-splits.js';
import { locateOrFetchDataset } from '../location/locate-dataset.js';
import { hubRefParam, limitParam, lineEndingsParam, pathParam } from './common-params.js';

/** The original files and the split each one is. */
export const conll2003Files = { train: 'eng.train', dev: 'eng.testa', test: 'eng.testb' } as const;

/** Every NER tag the original IOB1 files may hold (B-PER never occurs, but is valid IOB1). */
export const conll2003NerTags = [
  'O',
  'B-PER',
  'I-PER',
  'B-ORG',
  'I-ORG',
  'B-LOC',
  'I-LOC',
  'B-MISC',
  'I-MISC',
] as const;

export const conll2003 = definePlugin({
  id: 'dataset:conll2003',
  kind: 'dataset',
  summary: 'CoNLL-2003 English NER or chunking from the original IOB1 files (converted to IOB2)',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      task: { enum: ['ner', 'chunk'], default: 'ner', description: 'ner: column 4; chunk: column 3.' },
      path: pathParam,
      name: { type: 'string', minLength: 1, default: 'conll2003', description: 'Folder under LOOKRIGHT_DATA_DIR.' },
      limit: limitParam,
      lineEndings: lineEndingsParam,
      hub: hubRefParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    const task = params.task ?? 'ner';
    return {
      async load(): Promise<TaggedCorpus> {
        const hub = {
          repo: params.hub?.repo ?? 'eriktks/conll2003',
          revision: params.hub?.revision ?? 'refs/convert/parquet',
        };
        const location = await locateOrFetchDataset(
          {
            plugin: 'dataset:conll2003',
            what: 'CoNLL-2003 (eng.train, eng.testa, eng.testb)',
            path: params.path,
            dataDirName: params.name ?? 'conll2003',
            missingIn: missingSplitFile(conll2003Files),
            hub,
          },
          ctx,
        );
        const parts =
          location.kind === 'folder'
            ? {
                ...loadColumnSplits(
                  location.dir,
                  conll2003Files,
                  {
                    wordColumn: 0,
                    tagColumn: task === 'ner' ? 3 : 2,
                    columns: 4,
                    separator: 'space',
                    scheme: 'iob1',
                    labels: task === 'ner' ? conll2003NerTags : undefined,
                    docstart: true,
                  },
                  params.lineEndings ?? 'lf',
                ),
                warnings: [],
              }
            : await loadHubSplits({
                snapshotDir: location.snapshotDir,
                repo: hub.repo,
                columns: { words: 'tokens', tags: task === 'ner' ? 'ner_tags' : 'chunk_tags' },
                scheme: 'iob1',
                docstart: true,
              });
        ctx.log(
          `dataset:conll2003 ${task}: read from ${location.kind === 'folder' ? location.dir : location.snapshotDir}`,
        );
        return buildCorpus({ name: `conll2003-${task}`, labelScheme: 'iob2', limit: params.limit, ...parts });
      },
    };
  },
});
