import {
  checkParams,
  type DatasetSource,
  type PluginContext,
  type PluginDescriptor,
  type TaggedCorpus,
} from '@lookright/core';

/**
 * Validates params against a descriptor's schema with defaults filled in, as suite validation does, then creates
 * the source. Invalid params fail the test with ajv's message.
 */
export function createSource(
  descriptor: PluginDescriptor<DatasetSource, never>,
  params: Record<string, unknown>,
  env: PluginContext['env'] = process.env,
  log: string[] = [],
): DatasetSource {
  const checked = checkParams(descriptor.paramsSchema, params);
  if (!checked.ok) throw new Error(`invalid params for ${descriptor.id}: ${JSON.stringify(checked.problems)}`);
  const ctx: PluginContext = { baseDir: process.cwd(), env, log: (line) => log.push(line) };
  return descriptor.create(checked.params as never, ctx) as DatasetSource;
}

export async function loadCorpus(
  descriptor: PluginDescriptor<DatasetSource, never>,
  params: Record<string, unknown>,
  env?: PluginContext['env'],
): Promise<TaggedCorpus> {
  return createSource(descriptor, params, env).load();
}

/** Sentences, tokens and B- tags (spans in IOB2) of one split. */
export function splitStats(corpus: TaggedCorpus, split: 'train' | 'dev' | 'test') {
  const sentences = corpus.splits[split] ?? [];
  const tagCounts: Record<string, number> = {};
  let tokens = 0;
  for (const s of sentences) {
    tokens += s.words.length;
    for (const t of s.tags) tagCounts[t] = (tagCounts[t] ?? 0) + 1;
  }
  const spans: Record<string, number> = {};
  for (const [tag, n] of Object.entries(tagCounts)) if (tag.startsWith('B-')) spans[tag.slice(2)] = n;
  const spanTotal = Object.values(spans).reduce((a, b) => a + b, 0);
  return { sentences: sentences.length, tokens, tagCounts, spans, spanTotal };
}
