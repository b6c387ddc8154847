import type { TaggedSentence } from '@lookright/core';
import { datasetErrors } from '../errors.js';
import type { TextFile } from '../io/text-file.js';

/** Tags of the unified E2E-ABSA files: inside an aspect term with a polarity, or outside. */
export const absaSourceTags = ['O', 'T-POS', 'T-NEG', 'T-NEU'] as const;

/** `sentiment`: B-/I-POS, NEG, NEU (unified E2E-ABSA); `aspect`: B-/I-ASP (aspect-term extraction only). */
export type AbsaLabels = 'sentiment' | 'aspect';

export interface AbsaFileContent {
  sentences: TaggedSentence[];
  /** One line per upstream `ASPECT0` placeholder, `file:line: ...`. */
  warnings: string[];
}

const separator = '####';

/**
 * IO tags to BIO: each maximal run of one non-O tag becomes B- then I-. In `aspect` mode polarities are merged
 * first, so adjacent aspects of different polarity form one run, as the usual ATE conversion does.
 */
export function absaToBio(tags: readonly string[], labels: AbsaLabels): string[] {
  const mapped = tags.map((t) => (t === 'O' ? 'O' : labels === 'aspect' ? 'ASP' : t.slice(2)));
  return mapped.map((type, i) => {
    if (type === 'O') return 'O';
    return i > 0 && mapped[i - 1] === type ? `I-${type}` : `B-${type}`;
  });
}

function parseToken(file: string, lineNo: number, token: string): { word: string; tag: string } {
  const eq = token.lastIndexOf('=');
  if (eq <= 0) throw datasetErrors.badLine(file, lineNo, '<word>=<tag> tokens separated by single spaces', token);
  const tag = token.slice(eq + 1);
  if (!(absaSourceTags as readonly string[]).includes(tag))
    throw datasetErrors.unknownTag(file, lineNo, tag, `one of ${absaSourceTags.join(', ')}`);
  return { word: token.slice(0, eq), tag };
}

/**
 * Reads a `sentence####word=TAG word=TAG ...` file, one sentence a line. The tag is whatever follows a token's
 * last `=` (the token `=` is written `==O`). Tokens holding upstream's `ASPECT0` placeholder are kept as they are
 * and reported as warnings (the raw sentence and the tokens differ on those lines).
 */
export function readAbsaFile(file: TextFile, labels: AbsaLabels): AbsaFileContent {
  const content: AbsaFileContent = { sentences: [], warnings: [] };
  file.lines.forEach((line, i) => {
    const lineNo = i + 1;
    const cut = line.indexOf(separator);
    if (cut < 0) throw datasetErrors.badLine(file.path, lineNo, `<sentence>${separator}<word>=<tag> ...`, line);
    const tagged = line.slice(cut + separator.length);
    const tab = tagged.indexOf('\t');
    if (tab >= 0)
      throw datasetErrors.controlCharacter(
        file.path,
        lineNo,
        cut + separator.length + tab + 1,
        'a tab',
        'tokens separated by single spaces',
      );
    if (tagged === '') throw datasetErrors.badLine(file.path, lineNo, `tokens after ${separator}`, line);
    const words: string[] = [];
    const tags: string[] = [];
    for (const token of tagged.split(' ')) {
      const { word, tag } = parseToken(file.path, lineNo, token);
      if (word.includes('ASPECT0')) {
        content.warnings.push(
          `${file.path}:${lineNo}: upstream placeholder in token ${JSON.stringify(word)}; the aspect at that spot is lost upstream`,
        );
      }
      words.push(word);
      tags.push(tag);
    }
    content.sentences.push({ words, tags: absaToBio(tags, labels), origin: `${file.path}:${lineNo}` });
  });
  return content;
}
