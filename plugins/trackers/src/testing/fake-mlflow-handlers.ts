import { FakeMlflowState, type FakeRun, invalid, missing } from './fake-mlflow-state.js';

type Body = Record<string, unknown>;
type KeyValue = { key: string; value: string };

const metricNameRe = /^[A-Za-z0-9_\-. /]+$/;
const limits = { metrics: 1000, params: 100, tags: 100, entities: 1000, paramChars: 6000 };

function requireField(body: Body, name: string): unknown {
  if (body[name] === undefined || body[name] === null) {
    throw invalid(
      `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`,
    );
  }
  return body[name];
}

function checkMetricName(key: string) {
  if (!metricNameRe.test(key)) {
    throw invalid(
      `Invalid metric name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
    );
  }
  const parts: string[] = [];
  for (const p of key.split('/')) p === '..' ? parts.pop() : p !== '.' && p !== '' && parts.push(p);
  if (parts.join('/') !== key) {
    throw invalid(
      `Invalid metric name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${parts.join('/')}'`,
    );
  }
}

/** The server's leniency: in a batch, a value that is not floatlike is stored as 0 (a numeric string is parsed). */
function batchMetricValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = Number(
      value === 'Infinity' || value === '-Infinity' || value === 'NaN' ? value : value.trim() || 'x',
    );
    return Number.isNaN(parsed) && value !== 'NaN' ? 0 : parsed;
  }
  return 0;
}

function setParams(run: FakeRun, params: KeyValue[]) {
  const keys = params.map((p) => p.key);
  const dup = keys.filter(
    (k, i) => keys.indexOf(k) !== i && params.find((p) => p.key === k)?.value !== params[i].value,
  );
  if (dup.length) {
    throw invalid(
      `Duplicate parameter keys have been submitted: ${JSON.stringify([...new Set(dup)]).replace(/"/g, "'")}. Please ensure the request contains only one param value per param key.`,
    );
  }
  const changed = params
    .map((p) => ({ ...p, value: String(p.value).slice(0, limits.paramChars) }))
    .filter((p) => run.params.has(p.key) && run.params.get(p.key) !== p.value);
  if (changed.length) {
    const list = changed.map(
      (p) => `{'key': '${p.key}', 'old_value': '${run.params.get(p.key)}', 'new_value': '${p.value}'}`,
    );
    throw invalid(
      `Changing param values is not allowed. Params were already logged='[${list.join(', ')}]' for run ID='${run.info.run_id}'.`,
    );
  }
  for (const p of params) run.params.set(p.key, String(p.value).slice(0, limits.paramChars));
}

function logBatch(state: FakeMlflowState, body: Body) {
  const run = state.activeRun(String(requireField(body, 'run_id')));
  const metrics = (body.metrics ?? []) as Body[];
  const params = (body.params ?? []) as KeyValue[];
  const tags = (body.tags ?? []) as KeyValue[];
  for (const [kind, list] of [
    ['metrics', metrics],
    ['params', params],
    ['tags', tags],
  ] as const) {
    const max = limits[kind];
    if (list.length > max) {
      throw invalid(
        `A batch logging request can contain at most ${max} ${kind}. Got ${list.length} ${kind}. Please split up ${kind} across multiple requests and try again.`,
      );
    }
  }
  const total = metrics.length + params.length + tags.length;
  if (total > limits.entities) {
    throw invalid(
      `A batch logging request can contain at most 1000 metrics, params, and tags. Got ${total} metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.`,
    );
  }
  for (const m of metrics) {
    if (m.value === undefined || m.value === null || m.timestamp === undefined || m.key === undefined) {
      throw invalid(
        `Invalid value ${JSON.stringify(metrics)} for parameter 'metrics' supplied. Hint: Value was of type 'list'. See the API docs for more information about request parameters.`,
      );
    }
    checkMetricName(String(m.key));
  }
  setParams(run, params);
  for (const m of metrics) {
    run.metrics.push({
      key: String(m.key),
      value: batchMetricValue(m.value),
      timestamp: Number(m.timestamp),
      step: Number(m.step ?? 0),
    });
  }
  for (const t of tags) run.tags.set(t.key, String(t.value));
  return {};
}

/** Parses the filter subset lookright and the transcript use: `tags.k = 'v'`, `params.k != 'v'`, `metrics.m < 1`, joined by `and`. */
function matchesFilter(run: FakeRun, filter: string | undefined): boolean {
  if (!filter) return true;
  return filter.split(/\s+and\s+/i).every((clause) => {
    const m =
      /^\s*(tags|params|attributes|metrics)\.(`[^`]+`|[\w.]+)\s*(\S+)\s*(?:'((?:[^'\\]|\\.)*)'|(-?[\d.]+))\s*$/.exec(
        clause,
      );
    if (!m) throw invalid(`Invalid filter '${filter}'`);
    const [, scope, rawKey, op, quoted, numeric] = m;
    const key = rawKey.replace(/`/g, '');
    if (scope === 'metrics') {
      if (!['=', '!=', '<', '<=', '>', '>='].includes(op))
        throw invalid(`Invalid comparator '${op}' not one of '{'<=', '!=', '=', '>', '>=', '<'}'`);
      const latest = run.metrics.filter((x) => x.key === key).at(-1)?.value;
      const target = Number(numeric ?? quoted);
      if (latest === undefined) return false;
      return {
        '=': latest === target,
        '!=': latest !== target,
        '<': latest < target,
        '<=': latest <= target,
        '>': latest > target,
        '>=': latest >= target,
      }[op] as boolean;
    }
    if (!['=', '!=', 'LIKE', 'ILIKE'].includes(op))
      throw invalid(`Invalid comparator '${op}' not one of '{'=', 'LIKE', '!=', 'ILIKE'}'`);
    const value = (quoted ?? numeric).replace(/\\'/g, "'");
    const actual =
      scope === 'tags'
        ? run.tags.get(key)
        : scope === 'params'
          ? run.params.get(key)
          : String((run.info as Record<string, unknown>)[key]);
    return op === '!=' ? actual !== value : actual === value;
  });
}

/** Entries directly under `dir` in a run's artifacts, as artifacts/list answers them. */
function listArtifacts(run: FakeRun, dir: string) {
  const prefix = dir ? `${dir.replace(/\/$/, '')}/` : '';
  const entries = new Map<string, { path: string; is_dir: boolean; file_size?: number }>();
  for (const [path, data] of run.artifacts) {
    if (!path.startsWith(prefix)) continue;
    const [head, ...tail] = path.slice(prefix.length).split('/');
    const entryPath = prefix + head;
    entries.set(
      entryPath,
      tail.length ? { path: entryPath, is_dir: true } : { path: entryPath, is_dir: false, file_size: data.length },
    );
  }
  return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Routes `METHOD path` to a handler; each handler returns the JSON answer or throws a FakeMlflowError. */
export function handle(state: FakeMlflowState, method: string, path: string, query: URLSearchParams, body: Body) {
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /api/2.0/mlflow/experiments/create':
      return { experiment_id: state.createExperiment(String(requireField(body, 'name'))) };
    case 'GET /api/2.0/mlflow/experiments/get-by-name':
      return { experiment: state.experimentByName(query.get('experiment_name') ?? '') };
    case 'GET /api/2.0/mlflow/experiments/get': {
      const experiment = state.experiments.get(query.get('experiment_id') ?? '');
      if (!experiment) throw missing(`No Experiment with id=${query.get('experiment_id')} exists`);
      return { experiment };
    }
    case 'POST /api/2.0/mlflow/experiments/search':
      return { experiments: [...state.experiments.values()].reverse() };
    case 'POST /api/2.0/mlflow/runs/create': {
      const run = state.createRun(
        String(requireField(body, 'experiment_id')),
        body.run_name as string | undefined,
        Number(body.start_time ?? Date.now()),
        (body.tags ?? []) as KeyValue[],
      );
      return { run: state.toJson(run) };
    }
    case 'GET /api/2.0/mlflow/runs/get':
      return { run: state.toJson(state.run(query.get('run_id') ?? '')) };
    case 'POST /api/2.0/mlflow/runs/log-batch':
      return logBatch(state, body);
    case 'POST /api/2.0/mlflow/runs/log-metric': {
      const value = body.value;
      if (
        typeof value === 'string' &&
        !['NaN', 'Infinity', '-Infinity'].includes(value) &&
        Number.isNaN(Number(value))
      ) {
        throw invalid(
          `Invalid value ${value} for parameter 'value' supplied. Hint: Value was of type 'str'. See the API docs for more information about request parameters.`,
        );
      }
      requireField(body, 'timestamp');
      return logBatch(state, {
        run_id: body.run_id,
        metrics: [{ key: body.key, value, timestamp: body.timestamp, step: body.step }],
      });
    }
    case 'POST /api/2.0/mlflow/runs/log-parameter':
      setParams(state.activeRun(String(requireField(body, 'run_id'))), [
        { key: String(body.key), value: String(body.value) },
      ]);
      return {};
    case 'POST /api/2.0/mlflow/runs/set-tag':
      state.activeRun(String(requireField(body, 'run_id'))).tags.set(String(body.key), String(body.value));
      return {};
    case 'POST /api/2.0/mlflow/runs/update': {
      const run = state.run(String(requireField(body, 'run_id')));
      if (['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(String(body.status)))
        run.info.status = String(body.status);
      if (body.end_time) run.info.end_time = Number(body.end_time);
      return { run_info: run.info };
    }
    case 'POST /api/2.0/mlflow/runs/delete':
      state.run(String(requireField(body, 'run_id'))).info.lifecycle_stage = 'deleted';
      return {};
    case 'POST /api/2.0/mlflow/runs/restore':
      state.run(String(requireField(body, 'run_id'))).info.lifecycle_stage = 'active';
      return {};
    case 'POST /api/2.0/mlflow/runs/search': {
      const ids = (body.experiment_ids ?? []) as string[];
      const active = (body.run_view_type ?? 'ACTIVE_ONLY') === 'ACTIVE_ONLY';
      const all = [...state.runs.values()].filter(
        (r) =>
          ids.includes(r.info.experiment_id) &&
          (!active || r.info.lifecycle_stage === 'active') &&
          matchesFilter(r, body.filter as string | undefined),
      );
      const offset = body.page_token
        ? (JSON.parse(Buffer.from(String(body.page_token), 'base64').toString()) as { offset: number }).offset
        : 0;
      const max = Number(body.max_results ?? 1000);
      const page = all.slice(offset, offset + max);
      const next =
        offset + max < all.length
          ? Buffer.from(JSON.stringify({ offset: offset + max })).toString('base64')
          : undefined;
      return { ...(page.length && { runs: page.map((r) => state.toJson(r)) }), ...(next && { next_page_token: next }) };
    }
    case 'GET /api/2.0/mlflow/artifacts/list': {
      const run = state.run(query.get('run_id') ?? '');
      return { root_uri: run.info.artifact_uri, files: listArtifacts(run, query.get('path') ?? '') };
    }
    case 'GET /api/2.0/mlflow-artifacts/artifacts': {
      const [, runId, , ...rest] = (query.get('path') ?? '').split('/');
      const run = state.run(runId ?? '');
      const dir = rest.join('/');
      return { files: listArtifacts(run, dir).map((f) => ({ ...f, path: f.path.slice(dir ? dir.length + 1 : 0) })) };
    }
    case 'GET /api/2.0/mlflow/metrics/get-history': {
      const run = state.runs.get(query.get('run_id') ?? '');
      const metrics = run?.metrics.filter((m) => m.key === query.get('metric_key')) ?? [];
      return metrics.length ? { metrics } : {};
    }
  }
  throw missing('not found');
}

export { FakeMlflowState, missing };
