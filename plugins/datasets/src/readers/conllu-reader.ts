import type { TaggedSentence } from '@lookright/core';
import { datasetErrors } from '../errors.js';
import type { TextFile } from '../io/text-file.js';
import { checkTag } from '../tags/tag-check.js';

/** The 17 universal POS tags of UD v2. */
export const universalPosTags = [
  'ADJ',
  'ADP',
  'ADV',
  'AUX',
  'CCONJ',
  'DET',
  'INTJ',
  'NOUN',
  'NUM',
  'PART',
  'PRON',
  'PROPN',
  'PUNCT',
  'SCONJ',
  'SYM',
  'VERB',
  'X',
] as const;

export type UdTagset = 'upos' | 'xpos';

/** Sentences of one CoNLL-U file, plus counts of what is read but not tagged. */
export interface ConlluContent {
  sentences: TaggedSentence[];
  /** `# newdoc` comment lines. */
  documents: number;
  /** Multi-word token range lines (`3-4`): their surface form is not a tagged word. */
  multiwordTokens: number;
  /** Empty nodes (`8.1`): enhanced-graph only, not words. */
  emptyNodes: number;
}

const wordId = /^[1-9][0-9]*$/;
const rangeId = /^([1-9][0-9]*)-([1-9][0-9]*)$/;
const emptyNodeId = /^([0-9]+)\.([1-9][0-9]*)$/;

/**
 * Reads a CoNLL-U file into sentences of syntactic words (integer ids) tagged with UPOS or XPOS. Range lines
 * (`n-m`) and empty nodes (`n.k`) are validated and counted but are not words. Ids must run 1, 2, 3, ... in each
 * sentence; every line must have 10 tab-separated fields.
 */
export function readConlluFile(file: TextFile, tagset: UdTagset): ConlluContent {
  const upos = new Set<string>(universalPosTags);
  const content: ConlluContent = { sentences: [], documents: 0, multiwordTokens: 0, emptyNodes: 0 };
  let current: TaggedSentence | undefined;
  let lastWord = 0;
  let rangeEnd = 0;
  const close = (lineNo: number) => {
    if (current && rangeEnd > lastWord)
      throw datasetErrors.badLine(
        file.path,
        lineNo,
        `word ${lastWord + 1} of the range ending at ${rangeEnd}`,
        'the end of the sentence',
      );
    if (current) content.sentences.push(current);
    current = undefined;
    lastWord = 0;
    rangeEnd = 0;
  };
  file.lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line === '') {
      close(lineNo);
      return;
    }
    if (line.startsWith('#')) {
      if (current)
        throw datasetErrors.badLine(
          file.path,
          lineNo,
          "a token line (comments go before a sentence's first token)",
          line,
        );
      if (/^#\s*newdoc\b/.test(line)) content.documents++;
      return;
    }
    const fields = line.split('\t');
    if (fields.length !== 10)
      throw datasetErrors.columnCount(file.path, lineNo, '10 tab-separated', fields.length, line);
    const id = fields[0];
    const range = rangeId.exec(id);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from !== lastWord + 1 || to <= from)
        throw datasetErrors.badLine(file.path, lineNo, `a range ${lastWord + 1}-<larger id>`, id);
      rangeEnd = to;
      content.multiwordTokens++;
      return;
    }
    const empty = emptyNodeId.exec(id);
    if (empty) {
      if (Number(empty[1]) !== lastWord)
        throw datasetErrors.badLine(file.path, lineNo, `an empty node id ${lastWord}.<k>`, id);
      content.emptyNodes++;
      return;
    }
    if (!wordId.test(id) || Number(id) !== lastWord + 1)
      throw datasetErrors.badLine(file.path, lineNo, `word id ${lastWord + 1} (or a range or empty node)`, id);
    lastWord++;
    const form = fields[1];
    if (form === '') throw datasetErrors.badLine(file.path, lineNo, 'a non-empty FORM in column 2', line);
    const tag = tagset === 'upos' ? fields[3] : fields[4];
    const expected =
      tagset === 'upos'
        ? checkTag(tag, 'none', upos)
        : tag === '_'
          ? 'an XPOS tag in column 5 (found the "unspecified" underscore)'
          : checkTag(tag, 'none');
    if (expected) throw datasetErrors.unknownTag(file.path, lineNo, tag, expected);
    if (!current) current = { words: [], tags: [], origin: `${file.path}:${lineNo}` };
    current.words.push(form);
    current.tags.push(tag);
  });
  close(file.lines.length + 1);
  return content;
}
