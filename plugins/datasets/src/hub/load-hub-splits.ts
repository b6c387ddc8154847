import type { TaggedCorpus } from '@lookright/core';
import type { SplitContent } from '../corpus/build-corpus.js';
import { iob1ToIob2 } from '../tags/convert.js';
import { type HubReadOptions, readHubCorpus } from './read-hub-corpus.js';

/** A hub snapshot read into splits, IOB1 converted to IOB2 like the column readers do. */
export interface HubSplits {
  splits: Partial<Record<'train' | 'dev' | 'test', SplitContent>>;
  files: TaggedCorpus['files'];
  warnings: string[];
  scheme: TaggedCorpus['scheme'];
  labelSource: string;
}

export async function loadHubSplits(opts: HubReadOptions): Promise<HubSplits> {
  const content = await readHubCorpus(opts);
  if (opts.scheme === 'iob1') {
    for (const split of Object.values(content.splits))
      for (const s of split.sentences) s.tags = iob1ToIob2(s.tags, s.origin);
  }
  return { ...content, scheme: opts.scheme === 'iob1' ? 'iob2' : opts.scheme };
}
