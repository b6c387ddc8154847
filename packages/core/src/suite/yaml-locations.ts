import { readFileSync } from 'node:fs';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';

/**
 * Maps a JSON pointer to the line and column of the deepest YAML node on that path. With `atKey`, the last step
 * is located at its key (`extra:`) rather than its value, which is where an unknown key is best shown.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  pointer: string,
  atKey = false,
): { line: number; column: number } {
  const path = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  if (atKey && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1)) : undefined;
    if (pair && isScalar(pair.key) && pair.key.range) {
      const { line, col } = lineCounter.linePos(pair.key.range[0]);
      return { line, column: col };
    }
  }
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

export { LineCounter };

/**
 * The line and column of a JSON pointer in a suite file, for errors found after validation (expansion, data).
 * Falls back to 1:1 when the file cannot be read or parsed again.
 */
export function locateInFile(file: string, pointer: string, atKey = false): { line: number; column: number } {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter });
    return locate(doc, lineCounter, pointer, atKey);
  } catch {
    return { line: 1, column: 1 };
  }
}
