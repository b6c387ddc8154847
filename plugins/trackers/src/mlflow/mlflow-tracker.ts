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

  async deliver(event: TrackingEvent): Promise<void> {
    switch (event.type) {
      case 'execution.start':
        await this.executionRun(event, event.startedAt, event.tags);
        return;
      case 'cell.start': {
        const runId = await this.cellRun(event, true);
        for (const batch of chunkBatch({ params: toWireParams(event.params), tags: toWireTags(event.tags) })) {
          await this.client.logBatch(runId, batch);
        }
        return;
      }
      case 'cell.metrics': {
        const runId = await this.cellRun(event, false);
        for (const batch of chunkBatch({ metrics: event.metrics.map(toWireMetric) }))
          await this.client.logBatch(runId, batch);
        return;
      }
      case 'cell.tags': {
        const runId = await this.cellRun(event, false);
        for (const batch of chunkBatch({ tags: toWireTags(event.tags) })) await this.client.logBatch(runId, batch);
        return;
      }
      case 'cell.artifact': {
        const runId = await this.cellRun(event, false);
        const experimentId = await this.experiment(event.suiteName);
        await this.client.uploadArtifact(experimentId, runId, event.localPath, event.artifactPath);
        return;
      }
      case 'cell.end':
        await this.client.updateRun(await this.cellRun(event, false), event.status, event.endedAt);
        return;
      case 'execution.end':
        await this.client.updateRun(await this.executionRun(event), event.status, event.endedAt);
        return;
    }
  }

  private async experiment(suiteName: string): Promise<string> {
    const cached = this.experiments.get(suiteName);
    if (cached) return cached;
    let id = await this.client.getExperimentIdByName(suiteName);
    if (!id) {
      try {
        id = await this.client.createExperiment(suiteName);
      } catch (error) {
        id = await this.client.getExperimentIdByName(suiteName);
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
    create?: () => Promise<string>,
  ): Promise<string> {
    const cached = this.runs.get(key);
    if (cached) return cached;
    const experimentId = await this.experiment(suiteName);
    const [found] = await this.client.findRuns(experimentId, tags);
    const runId = found?.run_id ?? (create ? await create() : undefined);
    if (!runId) throw new Error(`no MLflow run tagged ${JSON.stringify(tags)} in experiment ${suiteName}`);
    this.runs.set(key, runId);
    return runId;
  }

  private executionRun(
    execution: TrackedExecution,
    startedAt = Date.now(),
    extraTags: Record<string, string> = {},
  ): Promise<string> {
    const { suiteName, storeId, executionId } = execution;
    const tags = { [mlflowTags.execution]: `${suiteName}#${executionId}`, [mlflowTags.store]: storeId };
    const runName = `${suiteName} #${executionId} (store ${storeId.slice(0, 8)})`;
    return this.findOrCreate(`execution:${storeId}:${suiteName}#${executionId}`, suiteName, tags, async () =>
      this.client.createRun(await this.experiment(suiteName), runName, startedAt, { ...tags, ...extraTags }),
    );
  }

  private async cellRun(event: TrackedCell & TrackingEvent, create: boolean): Promise<string> {
    const parentRunId = await this.executionRun(event);
    const tags = {
      [mlflowTags.cellHash]: event.cellHash,
      [mlflowTags.store]: event.storeId,
      [mlflowTags.parentRunId]: parentRunId,
    };
    const creator =
      create && event.type === 'cell.start'
        ? async () =>
            this.client.createRun(await this.experiment(event.suiteName), event.cellName, event.startedAt, tags)
        : undefined;
    return this.findOrCreate(`cell:${parentRunId}:${event.cellHash}`, event.suiteName, tags, creator);
  }
}
