/** Escapes text for HTML element content. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The small Markdown subset the report uses: headings, paragraphs and pipe tables. */
export function markdownToHtml(markdown: string): string {
  return markdown
    .split(/\n\n+/)
    .map((block) => {
      const lines = block.trim().split('\n');
      if (lines[0].startsWith('#')) {
        const level = lines[0].match(/^#+/)![0].length;
        return `<h${level}>${escapeHtml(lines[0].slice(level).trim())}</h${level}>${lines.length > 1 ? markdownToHtml(lines.slice(1).join('\n')) : ''}`;
      }
      if (lines[0].startsWith('|')) {
        const cells = (line: string) =>
          line
            .slice(1, -1)
            .split('|')
            .map((c) => escapeHtml(c.trim()));
        const [head, , ...body] = lines;
        return `<table><thead><tr>${cells(head)
          .map((c) => `<th>${c}</th>`)
          .join('')}</tr></thead><tbody>${body
          .map(
            (l) =>
              `<tr>${cells(l)
                .map((c) => `<td>${c}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
      }
      return `<p>${escapeHtml(block)}</p>`;
    })
    .join('\n');
}
