import type { SplitName, TaggedCorpus, TaggedSentence } from '@lookright/core';
import { datasetErrors } from '../errors.js';
import { orderLabels, type SourceScheme } from '../tags/tag-check.js';

/** One split as a reader produced it, with the file it came from (for the empty-split error). */
export interface SplitContent {
  source: string;
  sentences: TaggedSentence[];
  /** What the file held instead of sentences, for the empty-split error (e.g. `only 1 -DOCSTART- line`). */
  emptyBecause?: string;
}

export interface CorpusParts {
  name: string;
  scheme: TaggedCorpus['scheme'];
  /** Scheme the label order follows (`none` for POS). */
  labelScheme: SourceScheme;
  splits: Partial<Record<SplitName, SplitContent>>;
  files: TaggedCorpus['files'];
  warnings: string[];
  /** Keep only the first `limit` sentences of each split (for smoke runs); recorded as a warning. */
  limit?: number;
}

const splitOrder: readonly SplitName[] = ['train', 'dev', 'test'];

/**
 * Assembles a TaggedCorpus: refuses an empty split, applies `limit`, and derives the label set from every split,
 * so a tag only seen in dev or test is still a label.
 */
export function buildCorpus(parts: CorpusParts): TaggedCorpus {
  const splits: TaggedCorpus['splits'] = {};
  const warnings = [...parts.warnings];
  const labels = new Set<string>();
  for (const name of splitOrder) {
    const split = parts.splits[name];
    if (!split) continue;
    if (split.sentences.length === 0) throw datasetErrors.emptySplit(split.source, name, split.emptyBecause);
    let sentences = split.sentences;
    if (parts.limit !== undefined && sentences.length > parts.limit) {
      warnings.push(`${name}: limited to the first ${parts.limit} of ${sentences.length} sentences (param limit)`);
      sentences = sentences.slice(0, parts.limit);
    }
    for (const s of sentences) for (const t of s.tags) labels.add(t);
    splits[name] = sentences;
  }
  return {
    name: parts.name,
    scheme: parts.scheme,
    labels: orderLabels(labels, parts.labelScheme),
    splits,
    files: parts.files,
    warnings,
  };
}

/**
 * Moves the last `count` training sentences into a dev split, for corpora published without one (CoNLL-2000).
 * Recorded as a warning so the split's origin is visible in logs.
 */
export function holdOutDev(parts: CorpusParts, count: number): CorpusParts {
  const train = parts.splits.train;
  if (!train || count <= 0) return parts;
  if (parts.splits.dev) throw datasetErrors.badParam(parts.name, 'devFromTrain', 'no dev split in the data', 'is set');
  if (count >= train.sentences.length)
    throw datasetErrors.badParam(
      parts.name,
      'devFromTrain',
      `fewer than the ${train.sentences.length} training sentences`,
      `is ${count}`,
    );
  const cut = train.sentences.length - count;
  return {
    ...parts,
    splits: {
      ...parts.splits,
      train: { source: train.source, sentences: train.sentences.slice(0, cut) },
      dev: { source: `${train.source} (last ${count} sentences)`, sentences: train.sentences.slice(cut) },
    },
    warnings: [...parts.warnings, `dev: the last ${count} sentences of ${train.source} (param devFromTrain)`],
  };
}
