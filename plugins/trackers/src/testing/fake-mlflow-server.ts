import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handle } from './fake-mlflow-handlers.js';
import { FakeMlflowError, FakeMlflowState } from './fake-mlflow-state.js';

const notFoundHtml =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
const methodNotAllowedHtml =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';

/**
 * The Content-Type the server's artifact download answers with: it guesses from the file name (Python's
 * mimetypes; the transcript shows text/plain for notes.txt) and sends the bytes unchanged.
 */
function artifactType(path: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const known: Record<string, string> = {
    txt: 'text/plain',
    log: 'text/plain',
    json: 'application/json',
    yaml: 'application/x-yaml',
    csv: 'text/csv',
  };
  return known[extension] ?? 'application/octet-stream';
}

const artifactRe = /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/([^/]+)\/([^/]+)\/artifacts\/(.+)$/;

/**
 * An in-process stand-in for an MLflow 2.12.2 tracking server (sqlite backend, --serve-artifacts), answering with
 * the status codes, error_codes, limits and leniencies recorded in the fixtures' transcript. It can be stopped
 * and started again on the same port with its state kept, to simulate an outage. `requests` counts calls by route.
 */
export class FakeMlflowServer {
  readonly state = new FakeMlflowState();
  readonly requests = new Map<string, number>();
  /** Authorization header values seen, so tests can check credentials were sent (and nowhere else). */
  readonly authorizations: string[] = [];
  private server?: Server;
  port = 0;

  get uri(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://x');
    const method = req.method ?? 'GET';
    const route = `${method} ${url.pathname}`;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
    if (req.headers.authorization) this.authorizations.push(req.headers.authorization);
    const send = (status: number, body: string | Buffer, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const artifact = artifactRe.exec(url.pathname);
    if (artifact) {
      const [, , runId, path] = artifact;
      const run = this.state.runs.get(runId);
      if (!run)
        return send(
          404,
          JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${runId} not found` }),
        );
      if (method === 'PUT') {
        run.artifacts.set(decodeURIComponent(path), raw);
        return send(200, '{}');
      }
      const stored = run.artifacts.get(decodeURIComponent(path));
      return stored ? send(200, stored, artifactType(path)) : send(404, notFoundHtml, 'text/html; charset=utf-8');
    }
    if (route === 'GET /health') return send(200, 'OK', 'text/html; charset=utf-8');
    if (route === 'GET /api/2.0/mlflow/runs/search') return send(405, methodNotAllowedHtml, 'text/html; charset=utf-8');
    if (method === 'POST' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(
        400,
        JSON.stringify({
          error_code: 'INVALID_PARAMETER_VALUE',
          message: "Bad Request. Content-Type must be one of ['application/json'].",
        }),
      );
    }
    let body: Record<string, unknown> = {};
    try {
      body = raw.length
        ? (JSON.parse(raw.toString('utf8').replace(/(:\s*)NaN(?=\s*[,}])/g, '$1"NaN"')) as Record<string, unknown>)
        : {};
    } catch {
      return send(400, JSON.stringify({ error_code: 'MALFORMED_REQUEST', message: 'Malformed JSON' }));
    }
    try {
      return send(200, JSON.stringify(handle(this.state, method, url.pathname, url.searchParams, body), null, 2));
    } catch (error) {
      if (error instanceof FakeMlflowError) {
        if (error.message === 'not found') return send(404, notFoundHtml, 'text/html; charset=utf-8');
        return send(error.status, JSON.stringify({ error_code: error.errorCode, message: error.message }));
      }
      return send(500, JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String(error) }));
    }
  }
}
