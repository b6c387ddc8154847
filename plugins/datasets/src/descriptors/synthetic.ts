import { type DatasetSource, definePlugin, type TaggedCorpus } from '@lookright/core';
import { generateSynthetic } from '../synthetic/generate-synthetic.js';
import { syntheticCeilings } from '../synthetic/synthetic-ceiling.js';
import { checkSyntheticParams, type SyntheticParams, syntheticParamsSchema } from '../synthetic/synthetic-params.js';

/**
 * A seeded, generated NER task whose tags are decided by context on the right, the left or both sides of a name:
 * needs no file and no download. See docs/synthetic-dataset.md for the best F1 each kind of mask can reach.
 */
export const synthetic = definePlugin({
  id: 'dataset:synthetic',
  kind: 'dataset',
  summary: 'Generated NER task decided by right, left or two-sided context (seeded; no data folder needed)',
  paramsSchema: syntheticParamsSchema,
  create(params, ctx): DatasetSource {
    const p = params as SyntheticParams;
    checkSyntheticParams(p);
    return {
      async load(): Promise<TaggedCorpus> {
        const corpus = generateSynthetic(p);
        const { causal, fullContext } = syntheticCeilings(p);
        ctx.log(
          `dataset:synthetic ${p.task}: generated (seed ${p.seed}); best span F1 in expectation: ` +
            `all-causal ${(causal * 100).toFixed(1)}, full context ${(fullContext * 100).toFixed(1)}`,
        );
        return corpus;
      },
    };
  },
});
