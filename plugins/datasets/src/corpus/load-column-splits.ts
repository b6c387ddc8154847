import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitName, TaggedCorpus } from '@lookright/core';
import { type LineEndings, readTextFile } from '../io/text-file.js';
import { type ColumnLayout, readColumnFile } from '../readers/column-reader.js';
import { iob1ToIob2 } from '../tags/convert.js';
import type { SplitContent } from './build-corpus.js';

/** Split files of a column-format dataset, read and (for IOB1) converted to IOB2. */
export interface ColumnSplits {
  splits: Partial<Record<SplitName, SplitContent>>;
  files: TaggedCorpus['files'];
  /** `-DOCSTART-` lines per split. */
  documents: Partial<Record<SplitName, number>>;
  /** Scheme of the tags after loading. */
  scheme: TaggedCorpus['scheme'];
}

/** `no eng.train` for the first split file missing in `dir`, for the location search. */
export function missingSplitFile(files: Partial<Record<SplitName, string>>): (dir: string) => string | undefined {
  return (dir) => {
    const missing = Object.values(files).filter((f) => !existsSync(join(dir, f)));
    return missing.length ? `no ${missing.join(', ')}` : undefined;
  };
}

/**
 * Reads each split file of a column dataset in `dir` with one layout. IOB1 tags are converted to IOB2 per
 * sentence; other schemes are kept as they are.
 */
export function loadColumnSplits(
  dir: string,
  files: Partial<Record<SplitName, string>>,
  layout: ColumnLayout,
  lineEndings: LineEndings,
): ColumnSplits {
  const out: ColumnSplits = {
    splits: {},
    files: [],
    documents: {},
    scheme: layout.scheme === 'iob1' ? 'iob2' : layout.scheme,
  };
  for (const [split, name] of Object.entries(files) as [SplitName, string][]) {
    const file = readTextFile(join(dir, name), lineEndings);
    out.files.push({ path: file.path, sha256: file.sha256 });
    const content = readColumnFile(file, layout);
    if (layout.scheme === 'iob1') for (const s of content.sentences) s.tags = iob1ToIob2(s.tags, s.origin);
    const emptyBecause =
      file.lines.length === 0
        ? 'the file is empty'
        : content.documents > 0
          ? `only ${content.documents} -DOCSTART- line(s)`
          : undefined;
    out.splits[split] = { source: file.path, sentences: content.sentences, ...(emptyBecause && { emptyBecause }) };
    out.documents[split] = content.documents;
  }
  return out;
}
