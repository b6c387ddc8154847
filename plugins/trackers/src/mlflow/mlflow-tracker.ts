import type { TrackedCell, TrackedExecution, Tracker, TrackingEvent } from '@lookright/core';
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

/**
 * Delivers tracking events to MLflow: one experiment per suite, one parent run per suite execution of a store,
 * one child run per cell. Every run is found by its tags (store id, execution, cell hash) before one is created,
 * so delivering an event twice (after a crash or an outage) never creates a duplicate run, and two stores logging
 * the same suite never share one.
 */
export class MlflowTracker implements Tracker {
  readonly name = 'mlflow';
  private readonly experiments = new Map<string, string>();
  private readonly runs = new Map<string, string>();

  constructor(private readonly client: MlflowClient) {}

  async deliver(event: TrackingEvent, signal?: AbortSignal): Promise<void> {
    switch (event.type) {
      case 'execution.start':
        await this.executionRun(event, signal, event.startedAt, event.tags);
        return;
      case 'cell.start': {
        const runId = await this.cellRun(event, signal, true);
        for (const batch of chunkBatch({ params: toWireParams(event.params), tags: toWireTags(event.tags) })) {
          await this.client.logBatch(runId, batch, signal);
        }
        return;
      }
      case 'cell.metrics': {
        const runId = await this.cellRun(event, signal);
        for (const batch of chunkBatch({ metrics: event.metrics.map(toWireMetric) }))
          await this.client.logBatch(runId, batch, signal);
        return;
      }
      case 'cell.tags': {
        const runId = await this.cellRun(event, signal);
        for (const batch of chunkBatch({ tags: toWireTags(event.tags) }))
          await this.client.logBatch(runId, batch, signal);
        return;
      }
      case 'cell.artifact': {
        const runId = await this.cellRun(event, signal);
        const experimentId = await this.experiment(event.suiteName, signal);
        await this.client.uploadArtifact(experimentId, runId, event.localPath, event.artifactPath, signal);
        return;
      }
      case 'cell.end':
        await this.client.updateRun(await this.cellRun(event, signal), event.status, event.endedAt, signal);
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
  ): Promise<string> {
    const cached = this.runs.get(key);
    if (cached) return cached;
    const experimentId = await this.experiment(suiteName, signal);
    const [found] = await this.client.findRuns(experimentId, tags, signal);
    const runId = found?.run_id ?? (create ? await create(experimentId) : undefined);
    if (!runId) throw new Error(`no MLflow run tagged ${JSON.stringify(tags)} in experiment ${suiteName}`);
    this.runs.set(key, runId);
    return runId;
  }

  private executionRun(
    execution: TrackedExecution,
    signal: AbortSignal | undefined,
    startedAt = Date.now(),
    extraTags: Record<string, string> = {},
  ): Promise<string> {
    const { suiteName, storeId, executionId } = execution;
    const tags = { [mlflowTags.execution]: `${suiteName}#${executionId}`, [mlflowTags.store]: storeId };
    const runName = `${suiteName} #${executionId} (store ${storeId.slice(0, 8)})`;
    return this.findOrCreate(
      `execution:${storeId}:${suiteName}#${executionId}`,
      suiteName,
      tags,
      signal,
      (experiment) => this.client.createRun(experiment, runName, startedAt, { ...tags, ...extraTags }, signal),
    );
  }

  private async cellRun(
    event: TrackedCell & TrackingEvent,
    signal: AbortSignal | undefined,
    create = false,
  ): Promise<string> {
    const parentRunId = await this.executionRun(event, signal);
    const tags = {
      [mlflowTags.cellHash]: event.cellHash,
      [mlflowTags.store]: event.storeId,
      [mlflowTags.parentRunId]: parentRunId,
    };
    const creator =
      create && event.type === 'cell.start'
        ? (experiment: string) => this.client.createRun(experiment, event.cellName, event.startedAt, tags, signal)
        : undefined;
    return this.findOrCreate(`cell:${parentRunId}:${event.cellHash}`, event.suiteName, tags, signal, creator);
  }
}
