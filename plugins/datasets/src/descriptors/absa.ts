import { join } from 'node:path';
import { type DatasetSource, definePlugin, type SplitName, type TaggedCorpus } from '@lookright/core';
import { buildCorpus, type SplitContent } from '../corpus/build-corpus.js';
import { missingSplitFile } from '../corpus/load-column-splits.js';
import { readTextFile } from '../io/text-file.js';
import { locateDataset } from '../location/locate-dataset.js';
import { readAbsaFile } from '../readers/absa-reader.js';
import { limitParam, lineEndingsParam, pathParam } from './common-params.js';

export const absaFiles = { train: 'train.txt', dev: 'dev.txt', test: 'test.txt' } as const;

export const absa = definePlugin({
  id: 'dataset:absa',
  kind: 'dataset',
  summary: 'SemEval ABSA (word=T-POS files) as BIO with sentiment types, or aspect terms only',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      subset: {
        type: 'string',
        enum: ['rest14', 'laptop14', 'rest15', 'rest16'],
        default: 'rest14',
        description: 'Which SemEval set; its folder is semeval_absa/<subset> under LOOKRIGHT_DATA_DIR.',
      },
      labels: {
        type: 'string',
        enum: ['sentiment', 'aspect'],
        default: 'sentiment',
        description: 'sentiment: B-/I-POS, NEG, NEU (unified E2E-ABSA); aspect: B-/I-ASP (aspect-term extraction).',
      },
      path: pathParam,
      name: {
        type: 'string',
        minLength: 1,
        description: 'Folder under LOOKRIGHT_DATA_DIR (default semeval_absa/<subset>).',
      },
      limit: limitParam,
      lineEndings: lineEndingsParam,
    },
  } as const,
  create(params, ctx): DatasetSource {
    const subset = params.subset ?? 'rest14';
    const labels = params.labels ?? 'sentiment';
    return {
      async load(): Promise<TaggedCorpus> {
        const location = locateDataset(
          {
            plugin: 'dataset:absa',
            what: `SemEval ABSA ${subset} (train.txt, dev.txt, test.txt)`,
            path: params.path,
            dataDirName: params.name ?? `semeval_absa/${subset}`,
            missingIn: missingSplitFile(absaFiles),
          },
          ctx,
        );
        const dir = location.kind === 'folder' ? location.dir : location.snapshotDir;
        const splits: Partial<Record<SplitName, SplitContent>> = {};
        const files: TaggedCorpus['files'] = [];
        const warnings: string[] = [];
        for (const [split, fileName] of Object.entries(absaFiles) as [SplitName, string][]) {
          const file = readTextFile(join(dir, fileName), params.lineEndings ?? 'lf');
          files.push({ path: file.path, sha256: file.sha256 });
          const content = readAbsaFile(file, labels);
          splits[split] = { source: file.path, sentences: content.sentences };
          warnings.push(...content.warnings);
        }
        for (const w of warnings) ctx.log(`dataset:absa warning: ${w}`);
        return buildCorpus({
          name: `absa-${subset}-${labels}`,
          scheme: 'iob2',
          labelScheme: 'iob2',
          splits,
          files,
          warnings,
          limit: params.limit,
        });
      },
    };
  },
});
