import { readFile } from 'node:fs/promises';
import { trackerErrors } from '../errors.js';
import type { MlflowConnection } from './connection.js';

/** The parts of an MLflow run this client reads. */
export interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  status: string;
  lifecycle_stage: string;
}

interface ErrorBody {
  error_code?: string;
  message?: string;
}

/**
 * A thin client for MLflow's REST API 2.0 over fetch. It never logs request bodies or headers; errors carry the
 * endpoint, status and MLflow's error_code only. Every request gives up after `timeoutMs`, or as soon as the
 * caller's `signal` (the last argument of each method) is aborted; both end in TRACKER_UNREACHABLE.
 */
export class MlflowClient {
  constructor(
    private readonly connection: MlflowConnection,
    private readonly timeoutMs = 10_000,
  ) {}

  private async request(
    method: 'GET' | 'POST' | 'PUT',
    endpoint: string,
    body: unknown,
    raw: Buffer | undefined,
    signal: AbortSignal | undefined,
    answer: 'json' | 'bytes' = 'json',
    timeoutMs = this.timeoutMs,
  ): Promise<unknown> {
    const url = `${this.connection.baseUrl}/api/2.0/${endpoint}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...this.connection.headers,
          ...(raw
            ? { 'content-type': 'application/octet-stream' }
            : body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
        },
        body: raw ?? (body !== undefined ? JSON.stringify(body) : undefined),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).name;
      throw trackerErrors.unreachable(this.connection.baseUrl, reason);
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await response.arrayBuffer());
    } catch (cause) {
      throw trackerErrors.unreachable(this.connection.baseUrl, (cause as Error).name);
    }
    if (answer === 'bytes' && response.ok) return bytes;
    const text = bytes.toString('utf8');
    if (response.status >= 500 && response.status !== 501) {
      throw trackerErrors.unreachable(this.connection.baseUrl, `HTTP ${response.status}`);
    }
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as ErrorBody;
      throw trackerErrors.refused(
        endpoint.split('?')[0],
        response.status,
        error.error_code ?? 'UNKNOWN',
        error.message ?? text.slice(0, 200),
      );
    }
    return parsed ?? {};
  }

  async getExperimentIdByName(name: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const body = (await this.request(
        'GET',
        `mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
        undefined,
        undefined,
        signal,
      )) as {
        experiment: { experiment_id: string };
      };
      return body.experiment.experiment_id;
    } catch (error) {
      if ((error as { message?: string }).message?.includes('RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async createExperiment(name: string, signal?: AbortSignal): Promise<string> {
    const body = (await this.request('POST', 'mlflow/experiments/create', { name }, undefined, signal)) as {
      experiment_id: string;
    };
    return body.experiment_id;
  }

  async createRun(
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<string> {
    const body = (await this.request(
      'POST',
      'mlflow/runs/create',
      {
        experiment_id: experimentId,
        run_name: runName,
        start_time: startTime,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      },
      undefined,
      signal,
    )) as { run: { info: MlflowRunInfo } };
    return body.run.info.run_id;
  }

  /** Runs of an experiment whose tags equal the given values (ACTIVE_ONLY). */
  async findRuns(experimentId: string, tags: Record<string, string>, signal?: AbortSignal): Promise<MlflowRunInfo[]> {
    const filter = Object.entries(tags)
      .map(([key, value]) => `tags.\`${key}\` = '${value.replace(/'/g, "\\'")}'`)
      .join(' and ');
    const runs: MlflowRunInfo[] = [];
    let pageToken: string | undefined;
    do {
      const body = (await this.request(
        'POST',
        'mlflow/runs/search',
        {
          experiment_ids: [experimentId],
          filter,
          run_view_type: 'ACTIVE_ONLY',
          max_results: 1000,
          ...(pageToken && { page_token: pageToken }),
        },
        undefined,
        signal,
      )) as { runs?: { info: MlflowRunInfo }[]; next_page_token?: string };
      runs.push(...(body.runs ?? []).map((r) => r.info));
      pageToken = body.next_page_token;
    } while (pageToken);
    return runs;
  }

  async logBatch(
    runId: string,
    batch: {
      metrics?: { key: string; value: number | string; timestamp: number; step: number }[];
      params?: { key: string; value: string }[];
      tags?: { key: string; value: string }[];
    },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.request('POST', 'mlflow/runs/log-batch', { run_id: runId, ...batch }, undefined, signal);
  }

  async updateRun(
    runId: string,
    status: 'FINISHED' | 'FAILED' | 'KILLED' | 'RUNNING',
    endTime?: number,
    signal?: AbortSignal,
  ): Promise<void> {
    const body = { run_id: runId, status, ...(endTime && { end_time: endTime }) };
    await this.request('POST', 'mlflow/runs/update', body, undefined, signal);
  }

  /** Uploads a file through the mlflow-artifacts proxy (server started with --serve-artifacts). */
  async uploadArtifact(
    experimentId: string,
    runId: string,
    localPath: string,
    artifactPath: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const bytes = await readFile(localPath);
    await this.request(
      'PUT',
      artifactEndpoint(experimentId, runId, artifactPath),
      undefined,
      bytes,
      signal,
      'json',
      this.transferTimeoutMs(bytes.length),
    );
  }

  /** Downloads one artifact of a run through the mlflow-artifacts proxy, byte for byte. */
  async downloadArtifact(
    experimentId: string,
    runId: string,
    artifactPath: string,
    expectedBytes = 0,
    signal?: AbortSignal,
  ): Promise<Buffer> {
    const endpoint = artifactEndpoint(experimentId, runId, artifactPath);
    const timeout = this.transferTimeoutMs(expectedBytes);
    return (await this.request('GET', endpoint, undefined, undefined, signal, 'bytes', timeout)) as Buffer;
  }

  /** A file transfer gets the request timeout plus one second per MiB. */
  private transferTimeoutMs(bytes: number): number {
    return this.timeoutMs + Math.ceil(bytes / 2 ** 20) * 1000;
  }
}

/** The mlflow-artifacts proxy address of one artifact of a run (each path part URL-encoded). */
function artifactEndpoint(experimentId: string, runId: string, artifactPath: string): string {
  const path = artifactPath.split('/').map(encodeURIComponent).join('/');
  return `mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/${path}`;
}
