import { basename } from 'node:path';
import type { PluginContext, PluginRegistry } from '@lookright/core';
import type { DatasetFingerprint, ResolvedPlugin } from './cell-types.js';

/** Produces a dataset's fingerprint; swapped only where a different way to read file checksums is wanted. */
export type DatasetFingerprinter = (dataset: ResolvedPlugin, ctx: PluginContext) => Promise<DatasetFingerprint>;

/**
 * The default fingerprinter: creates the dataset plugin and loads its corpus, whose `files` carry sha256s. Loading
 * CoNLL-2003 takes about a second, and each distinct dataset ref is fingerprinted once per expansion.
 */
export function corpusFingerprinter(registry: PluginRegistry): DatasetFingerprinter {
  return async (dataset, ctx) => {
    const source = await registry.create('dataset', dataset, ctx);
    const corpus = await source.load();
    return {
      files: corpus.files
        .map((f) => ({ name: basename(f.path), sha256: f.sha256 }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      trainSentences: corpus.splits.train?.length ?? null,
      trainWords: corpus.splits.train?.reduce((n, s) => n + s.words.length, 0) ?? null,
    };
  };
}
