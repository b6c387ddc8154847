import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One repo the fake hub serves: its files at one commit, reachable by `revisions`. */
export interface FakeHubRepo {
  kind: 'model' | 'dataset';
  repo: string;
  commit: string;
  revisions: readonly string[];
  files: Record<string, Uint8Array | string>;
}

/** A running fake hub: its URL, every request it saw (method and path), and close(). */
export interface FakeHub {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');
const bytes = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);

/**
 * A local HTTP server answering the Hub API calls @huggingface/hub makes to download a model or dataset repo
 * (revision info with the file list, file tree, paths-info, resolve with byte ranges), as huggingface.co answered
 * them for @huggingface/hub 2.17. With `token`, requests without `Authorization: Bearer <token>` get 401, as the
 * hub answers a private repo.
 */
export async function startFakeHub(repo: FakeHubRepo, token?: string): Promise<FakeHub> {
  const requests: string[] = [];
  const entry = (path: string) => {
    const b = bytes(repo.files[path]);
    return { type: 'file', path, size: b.length, oid: sha1(b) };
  };
  const known = (rev: string) => rev === repo.commit || repo.revisions.includes(rev);
  const body = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (d: Buffer) => {
        s += d;
      });
      req.on('end', () => resolve(s));
    });
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${path}`);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (token && req.headers.authorization !== `Bearer ${token}`) return json(401, { error: 'Invalid credentials' });
    const api = `/api/${repo.kind}s/${repo.repo}/`;
    if (path.startsWith(`${api}revision/`)) {
      const rev = path.slice(`${api}revision/`.length);
      if (!known(rev)) return json(404, { error: `Revision Not Found: ${rev}` });
      return json(200, {
        _id: 'fake',
        id: repo.repo,
        sha: repo.commit,
        private: false,
        gated: false,
        downloads: 0,
        likes: 0,
        lastModified: '2026-01-01T00:00:00.000Z',
        siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })),
      });
    }
    if (path.startsWith(`${api}tree/`)) return json(200, Object.keys(repo.files).map(entry));
    if (path.startsWith(`${api}paths-info/`)) {
      const raw = await body(req);
      const asked = new URLSearchParams(raw).getAll('paths');
      const paths = asked.length > 0 ? asked : ((JSON.parse(raw || '{}') as { paths?: string[] }).paths ?? []);
      return json(200, paths.filter((p) => p in repo.files).map(entry));
    }
    const resolvePrefix = `${repo.kind === 'dataset' ? '/datasets' : ''}/${repo.repo}/resolve/`;
    if (path.startsWith(resolvePrefix)) {
      const rest = path.slice(resolvePrefix.length);
      const file = rest.slice(rest.indexOf('/') + 1);
      if (!(file in repo.files)) return json(404, { error: 'Entry not found' });
      const b = bytes(repo.files[file]);
      const headers = {
        etag: `"${sha1(b)}"`,
        'x-repo-commit': repo.commit,
        'content-type': 'application/octet-stream',
      };
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), b.length - 1) : b.length - 1;
        const part = b.subarray(start, end + 1);
        res.writeHead(206, {
          ...headers,
          'content-range': `bytes ${start}-${end}/${b.length}`,
          'content-length': String(part.length),
        });
        return res.end(Buffer.from(part));
      }
      res.writeHead(200, { ...headers, 'content-length': String(b.length) });
      return res.end(req.method === 'HEAD' ? undefined : Buffer.from(b));
    }
    json(404, { error: `fake hub: no route for ${req.method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
