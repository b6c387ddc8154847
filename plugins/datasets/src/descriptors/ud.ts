import { join } from 'node:path';
import { type DatasetSource, definePlugin, type SplitName, type TaggedCorpus } from '@lookright/core';
import { buildCorpus, type SplitContent } from '../corpus/build-corpus.js';
import { udSplitFiles } from '../corpus/ud-files.js';
import { readTextFile } from '../io/text-file.js';
import { locateDataset } from '../location/locate-dataset.js';
import { readConlluFile } from '../readers/conllu-reader.js';
import { limitParam, lineEndingsParam, pathParam } from './common-params.js';

export const ud = definePlugin({
  id: 'dataset:ud',
  kind: 'dataset',
  summary: 'Universal Dependencies CoNLL-U treebank, words tagged with UPOS or XPOS',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      tagset: {
        type: 'string',
        enum: ['upos', 'xpos'],
        default: 'upos',
        description: 'upos: column 4; xpos: column 5.',
      },
      path: pathParam,
      name: {
        type: 'string',
        minLength: 1,
        default: 'ud_english_ewt',
        description: 'Folder under LOOKRIGHT_DATA_DIR holding *-ud-{train,dev,test}.conllu.',
      },
      limit: limitParam,
      lineEndings: lineEndingsParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    const tagset = params.tagset ?? 'upos';
    const name = params.name ?? 'ud_english_ewt';
    return {
      async load(): Promise<TaggedCorpus> {
        const location = locateDataset(
          {
            plugin: 'dataset:ud',
            what: `UD treebank ${name} (*-ud-{train,dev,test}.conllu)`,
            path: params.path,
            dataDirName: name,
            missingIn: (dir) => udSplitFiles(dir).problem,
          },
          ctx,
        );
        // locateDataset has no hub source for UD, so the location is a folder.
        const dir = location.kind === 'folder' ? location.dir : location.snapshotDir;
        const splits: Partial<Record<SplitName, SplitContent>> = {};
        const files: TaggedCorpus['files'] = [];
        for (const [split, fileName] of Object.entries(udSplitFiles(dir).files) as [SplitName, string][]) {
          const file = readTextFile(join(dir, fileName), params.lineEndings ?? 'lf');
          files.push({ path: file.path, sha256: file.sha256 });
          splits[split] = { source: file.path, sentences: readConlluFile(file, tagset).sentences };
        }
        return buildCorpus({
          name: `${name}-${tagset}`,
          scheme: 'none',
          labelScheme: 'none',
          splits,
          files,
          warnings: [],
          limit: params.limit,
        });
      },
    };
  },
});
