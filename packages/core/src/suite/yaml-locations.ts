import { type Document, isNode, LineCounter } from 'yaml';

/** Maps a JSON pointer to the line and column of the deepest YAML node on that path. */
export function locate(doc: Document, lineCounter: LineCounter, pointer: string): { line: number; column: number } {
  const path = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
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
