import { readFileSync } from 'node:fs';

/** One recorded exchange from the MLflow transcript. */
export interface RecordedExchange {
  title: string;
  method: string;
  /** Path and query, e.g. `/api/2.0/mlflow/runs/get?run_id=...`. */
  path: string;
  contentType?: string;
  body?: string;
  status: number;
  /** The response's Content-Type, where recorded. */
  responseType?: string;
  response: string;
}

/**
 * Reads the exchanges of one server section of the recorded transcript (from a `## Server:` heading to the next server or the file-store part), keeping
 * those whose request was recorded verbatim (not abbreviated with `...` or placeholders).
 */
export function readTranscript(file: string, sectionIndex = 0): RecordedExchange[] {
  const text = readFileSync(file, 'utf8');
  const section = text.split(/^## Server: /m)[sectionIndex + 1]?.split(/^## File-store/m)[0] ?? '';
  const exchanges: RecordedExchange[] = [];
  for (const block of section.split(/^### /m).slice(1)) {
    const title = block.split('\n')[0];
    const curl = /curl -X (\w+) '([^']+)'(?: -H 'Content-Type: ([^']+)')?(?: -d '([^']*)')?/.exec(block);
    const status = /Response: \*\*HTTP (\d+)\*\*(?: \(Content-Type: ([^)]+)\))?/.exec(block);
    if (!curl || !status) continue;
    const bodyMatch = /Request body:\n```json\n([\s\S]*?)\n```/.exec(block);
    const body = bodyMatch?.[1] ?? curl[4];
    if (body && (body.includes('...') || body.includes('<run'))) continue;
    const after = block.slice(status.index);
    const response = /```json\n([\s\S]*?)\n```/.exec(after)?.[1] ?? '';
    exchanges.push({
      title,
      method: curl[1],
      path: new URL(curl[2]).pathname + new URL(curl[2]).search,
      contentType: curl[3],
      body,
      status: Number(status[1]),
      responseType: status[2],
      response,
    });
  }
  return exchanges;
}
