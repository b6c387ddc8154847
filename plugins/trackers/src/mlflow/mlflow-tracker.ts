import type { Tracker, TrackingEvent } from '@lookright/core';
import { chunkBatch, toWireMetric, toWireParams, toWireTags } from './batches.js';
import type { MlflowClient } from './client.js';

/** Tags lookright puts on runs so that a replay finds them instead of creating duplicates. */
export const mlflowTags = {
  execution: 'lookright.execution',
  cellHash: 'lookright.cell_hash',
  parentRunId: 'mlflow.parentRunId',
} as const;

/**
 * Delivers tracking events to MLflow: one experiment per suite, one parent run per suite execution, one child run
 * per cell. Every run is found by its tags before one is created, so delivering an event twice (after a crash or
 * an outage) never creates a duplicate run.
 */
export class MlflowTracker implements Tracker {
  readonly name = 'mlflow';
  private readonly experiments = new Map<string, string>();
  private readonly runs = new Map<string, string>();

  constructor(private readonly client: MlflowClient) {}

  async deliver(event: TrackingEvent): Promise<void> {
    switch (event.type) {
      case 'execution.start':
        await this.executionRun(event.suiteName, event.executionId, event.startedAt, event.tags);
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
        await this.client.updateRun(
          await this.executionRun(event.suiteName, event.executionId),
          event.status,
          event.endedAt,
        );
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
    suiteName: string,
    executionId: number,
    startedAt = Date.now(),
    extraTags: Record<string, string> = {},
  ) {
    const tags = { [mlflowTags.execution]: `${suiteName}#${executionId}` };
    return this.findOrCreate(`execution:${suiteName}#${executionId}`, suiteName, tags, async () =>
      this.client.createRun(await this.experiment(suiteName), `${suiteName} #${executionId}`, startedAt, {
        ...tags,
        ...extraTags,
      }),
    );
  }

  private async cellRun(event: Extract<TrackingEvent, { cellHash: string }>, create: boolean): Promise<string> {
    const parentRunId = await this.executionRun(event.suiteName, event.executionId);
    const tags = { [mlflowTags.cellHash]: event.cellHash, [mlflowTags.parentRunId]: parentRunId };
    const creator =
      create && event.type === 'cell.start'
        ? async () =>
            this.client.createRun(await this.experiment(event.suiteName), event.cellName, event.startedAt, tags)
        : undefined;
    return this.findOrCreate(`cell:${parentRunId}:${event.cellHash}`, event.suiteName, tags, creator);
  }
}
