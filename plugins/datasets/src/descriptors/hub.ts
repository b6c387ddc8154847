import { type DatasetSource, definePlugin, type TaggedCorpus } from '@lookright/core';
import { buildCorpus } from '../corpus/build-corpus.js';
import { loadHubSplits } from '../hub/load-hub-splits.js';
import { listParquetFiles } from '../hub/parquet-files.js';
import { locateOrFetchDataset } from '../location/locate-dataset.js';
import { limitParam, pathParam } from './common-params.js';

const id = 'dataset:hub';

const fileList = { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 } as const;

/** A Hugging Face dataset repo's parquet files: one column of word lists and one of tag lists (ids or strings). */
export const hub = definePlugin({
  id,
  kind: 'dataset',
  summary: 'Hugging Face dataset repo (parquet): column mapping, ClassLabel names from its metadata',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['repo'],
    properties: {
      repo: { type: 'string', minLength: 3, description: 'Dataset repo id, org/name.' },
      revision: {
        type: 'string',
        minLength: 1,
        default: 'main',
        description: 'Branch, tag, refs/convert/parquet or commit.',
      },
      config: {
        type: 'string',
        minLength: 1,
        description: 'Config folder to read (<config>/<split>/*.parquet layouts).',
      },
      files: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { train: fileList, dev: fileList, test: fileList },
        description: 'Parquet paths per split, relative to the repo root; replaces discovery by file name.',
      },
      columns: {
        type: 'object',
        additionalProperties: false,
        properties: {
          words: { type: 'string', minLength: 1, default: 'tokens' },
          tags: { type: 'string', minLength: 1, default: 'ner_tags' },
        },
        default: { words: 'tokens', tags: 'ner_tags' },
      },
      labelNames: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        minItems: 1,
        description: 'Tag name of each integer label id; default: the ClassLabel names in the dataset metadata.',
      },
      scheme: {
        type: 'string',
        enum: ['iob1', 'iob2', 'bioes', 'none'],
        default: 'iob2',
        description: 'Scheme of the tags; iob1 is converted to iob2.',
      },
      docstart: { type: 'boolean', default: true, description: 'Leave out rows that are a lone -DOCSTART- token.' },
      path: pathParam,
      name: {
        type: 'string',
        minLength: 1,
        description: 'Folder under LOOKRIGHT_DATA_DIR holding a copy of the repo.',
      },
      limit: limitParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    return {
      async load(): Promise<TaggedCorpus> {
        const ref = { repo: params.repo, revision: params.revision ?? 'main' };
        const location = await locateOrFetchDataset(
          {
            plugin: id,
            what: `parquet files of ${ref.repo}`,
            path: params.path,
            dataDirName: params.name,
            missingIn: (dir) => (listParquetFiles(dir).length === 0 ? 'no .parquet file' : undefined),
            hub: ref,
          },
          ctx,
        );
        const snapshotDir = location.kind === 'folder' ? location.dir : location.snapshotDir;
        const scheme = params.scheme ?? 'iob2';
        const parts = await loadHubSplits({
          snapshotDir,
          repo: ref.repo,
          config: params.config,
          files: params.files,
          columns: { words: params.columns?.words ?? 'tokens', tags: params.columns?.tags ?? 'ner_tags' },
          labelNames: params.labelNames,
          scheme,
          docstart: params.docstart ?? true,
        });
        ctx.log(`${id}: ${ref.repo} from ${snapshotDir}; label names from ${parts.labelSource}`);
        return buildCorpus({ name: ref.repo, labelScheme: scheme, limit: params.limit, ...parts });
      },
    };
  },
});
