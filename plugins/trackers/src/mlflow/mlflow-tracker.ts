import type {
  CellFileStore,
  TrackedCell,
  TrackedCellRun,
  TrackedExecution,
  Tracker,
  TrackingEvent,
} from '@lookright/core';
import { trackerErrors } from '../errors.js';
import { chunkBatch, toWireMetric, toWireParams, toWireTags } from './batches.js';
import type { MlflowClient } from './client.js';

/** Tags lookright puts on runs so that a replay finds them instead of creating duplicates. */
export const mlflowTags = {
  /** `<suite>#<execution id>`; unique only together with the store tag. */
  execution: 'lookright.execution',
  /** The run store's random id: runs of two stores never merge, even for the same suite and execution id. */
  store: 'lookright.store',
  cellHash: 'lookright.cell_hash',
  parentRunId: 'mlflow.parentRunId',
} as const;

/** Where a queue worker's files of a cell go among its run's artifacts (`cell-files/<path given>`). */
export const cellFilesArtifactDir = 'cell-files';

/**
 * Delivers tracking events to MLflow: one experiment per suite, one parent run per suite execution of a store,
 * one child run per cell of a store. Every run is found by its tags (store id, execution, cell hash) before one
 * is created, so delivering an event twice (after a crash or an outage) never creates a duplicate run, and two
 * stores logging the same suite never share one. A cell's later attempts (a retry after a kill, a rerun of a
 * FAILED cell, a resumed run) reuse its run: it is set RUNNING again and moved under the current execution's
 * parent run; each attempt leaves a `lookright.attempt.<id>` tag.
 */
export class MlflowTracker implements Tracker {
  readonly name = 'mlflow';
  private readonly experiments = new Map<string, string>();
  private readonly runs = new Map<string, string>();

  constructor(private readonly client: MlflowClient) {}

  /**
   * A cell's files as artifacts of its one run (`cell-files/…`), for queue workers on machines that share no
   * filesystem with the harness. Only looks runs up: the harness's tracker opens the run when the cell starts.
   */
  readonly cellFiles: CellFileStore = {
    put: async (cell, files, signal) => {
      const run = await this.existingCellRun(cell, signal);
      if (!run) return false;
      for (const file of files) {
        const artifactPath = `${cellFilesArtifactDir}/${file.path}`;
        await this.client.uploadArtifact(run.experimentId, run.runId, file.localPath, artifactPath, signal);
      }
      return true;
    },
    get: async (cell, path, signal) => {
      const run = await this.existingCellRun(cell, signal);
      if (!run) throw trackerErrors.noCellRun(cell.suiteName, cell.cellHash);
      return this.client.downloadArtifact(run.experimentId, run.runId, `${cellFilesArtifactDir}/${path}`, 0, signal);
    },
  };

  /** The cell's run if the server has one, without creating an experiment or a run. */
  private async existingCellRun(
    cell: TrackedCellRun,
    signal: AbortSignal | undefined,
  ): Promise<{ experimentId: string; runId: string } | undefined> {
    const experimentId =
      this.experiments.get(cell.suiteName) ?? (await this.client.getExperimentIdByName(cell.suiteName, signal));
    if (!experimentId) return undefined;
    const key = `cell:${cell.storeId}:${cell.cellHash}`;
    const runId =
      this.runs.get(key) ?? (await this.client.findRuns(experimentId, cellRunTags(cell), signal))[0]?.run_id;
    if (runId) this.runs.set(key, runId);
    return runId ? { experimentId, runId } : undefined;
  }

  async deliver(event: TrackingEvent, signal?: AbortSignal): Promise<void> {
    switch (event.type) {
      case 'execution.start':
        await this.executionRun(event, signal, event.startedAt, event.tags);
        return;
      case 'cell.start': {
        const run = await this.cellRun(event, signal, event);
        const parentRunId = await this.executionRun(event, signal);
        // a later attempt (retry, rerun, resumed run) reuses the cell's run: it runs again under this execution
        if (run.reused) await this.client.updateRun(run.runId, 'RUNNING', undefined, signal);
        const tags = { ...event.tags, [mlflowTags.parentRunId]: parentRunId };
        for (const batch of chunkBatch({ params: toWireParams(event.params), tags: toWireTags(tags) })) {
          await this.client.logBatch(run.runId, batch, signal);
        }
        return;
      }
      case 'cell.metrics': {
        const { runId } = await this.cellRun(event, signal);
        for (const batch of chunkBatch({ metrics: event.metrics.map(toWireMetric) }))
          await this.client.logBatch(runId, batch, signal);
        return;
      }
      case 'cell.tags': {
        const { runId } = await this.cellRun(event, signal);
        for (const batch of chunkBatch({ tags: toWireTags(event.tags) }))
          await this.client.logBatch(runId, batch, signal);
        return;
      }
      case 'cell.artifact': {
        const { runId } = await this.cellRun(event, signal);
        const experimentId = await this.experiment(event.suiteName, signal);
        await this.client.uploadArtifact(experimentId, runId, event.localPath, event.artifactPath, signal);
        return;
      }
      case 'cell.end':
        await this.client.updateRun((await this.cellRun(event, signal)).runId, event.status, event.endedAt, signal);
        return;
      case 'execution.end':
        await this.client.updateRun(await this.executionRun(event, signal), event.status, event.endedAt, signal);
        return;
    }
  }

  private async experiment(suiteName: string, signal: AbortSignal | undefined): Promise<string> {
    const cached = this.experiments.get(suiteName);
    if (cached) return cached;
    let id = await this.client.getExperimentIdByName(suiteName, signal);
    if (!id) {
      try {
        id = await this.client.createExperiment(suiteName, signal);
      } catch (error) {
        id = await this.client.getExperimentIdByName(suiteName, signal);
        if (!id) throw error;
      }
    }
    this.experiments.set(suiteName, id);
    return id;
  }

  private async findOrCreate(
    key: string,
    suiteName: string,
    tags: Record<string, string>,
    signal: AbortSignal | undefined,
    create?: (experimentId: string) => Promise<string>,
    lookAgain = false,
  ): Promise<{ runId: string; reused: boolean }> {
    const cached = this.runs.get(key);
    if (cached && !lookAgain) return { runId: cached, reused: false };
    const experimentId = await this.experiment(suiteName, signal);
    const [found] = await this.client.findRuns(experimentId, tags, signal);
    const runId = found?.run_id ?? (create ? await create(experimentId) : undefined);
    if (!runId) throw new Error(`no MLflow run tagged ${JSON.stringify(tags)} in experiment ${suiteName}`);
    this.runs.set(key, runId);
    return { runId, reused: found !== undefined && found.status !== 'RUNNING' };
  }

  private async executionRun(
    execution: TrackedExecution,
    signal: AbortSignal | undefined,
    startedAt = Date.now(),
    extraTags: Record<string, string> = {},
  ): Promise<string> {
    const { suiteName, storeId, executionId } = execution;
    const tags = { [mlflowTags.execution]: `${suiteName}#${executionId}`, [mlflowTags.store]: storeId };
    const runName = `${suiteName} #${executionId} (store ${storeId.slice(0, 8)})`;
    const run = await this.findOrCreate(
      `execution:${storeId}:${suiteName}#${executionId}`,
      suiteName,
      tags,
      signal,
      (experiment) => this.client.createRun(experiment, runName, startedAt, { ...tags, ...extraTags }, signal),
    );
    return run.runId;
  }

  /**
   * The cell's one run, keyed by store id and cell hash only (not by execution): every attempt of the cell, in
   * any execution, finds it by these tags. Runs/create carries the tags, so a run the server created is found
   * even when its answer was lost (a kill between request and answer); only `start` (a cell.start) creates one.
   */
  private async cellRun(
    cell: TrackedCell,
    signal: AbortSignal | undefined,
    start?: { cellName: string; startedAt: number },
  ): Promise<{ runId: string; reused: boolean }> {
    const tags = cellRunTags(cell);
    const creator = start
      ? async (experiment: string) => {
          const parentRunId = await this.executionRun(cell, signal);
          const all = { ...tags, [mlflowTags.parentRunId]: parentRunId };
          return this.client.createRun(experiment, start.cellName, start.startedAt, all, signal);
        }
      : undefined;
    // a start always asks the server: the run may have ended (FAILED) since this process last saw it
    const key = `cell:${cell.storeId}:${cell.cellHash}`;
    return this.findOrCreate(key, cell.suiteName, tags, signal, creator, start !== undefined);
  }
}

/** The tags that find a cell's one run: cell hash and store id. */
const cellRunTags = (cell: TrackedCellRun) => ({
  [mlflowTags.cellHash]: cell.cellHash,
  [mlflowTags.store]: cell.storeId,
});
