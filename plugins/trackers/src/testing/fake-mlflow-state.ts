import { randomBytes } from 'node:crypto';

/** A run as the fake server keeps it. */
export interface FakeRun {
  info: {
    run_uuid: string;
    experiment_id: string;
    run_name: string;
    user_id: string;
    status: string;
    start_time: number;
    end_time?: number;
    artifact_uri: string;
    lifecycle_stage: 'active' | 'deleted';
    run_id: string;
  };
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: { key: string; value: number; timestamp: number; step: number }[];
  artifacts: Map<string, Buffer>;
}

/** An MLflow error answer: HTTP status, error_code and message, as the real server words them. */
export class FakeMlflowError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string) => new FakeMlflowError(400, 'INVALID_PARAMETER_VALUE', message);
export const missing = (message: string) => new FakeMlflowError(404, 'RESOURCE_DOES_NOT_EXIST', message);

/** Everything the fake server stores: experiments by id and name, runs by id. */
export class FakeMlflowState {
  readonly experiments = new Map<string, { experiment_id: string; name: string; lifecycle_stage: string }>();
  readonly runs = new Map<string, FakeRun>();
  private nextExperimentId = 1;

  constructor() {
    this.experiments.set('0', { experiment_id: '0', name: 'Default', lifecycle_stage: 'active' });
  }

  createExperiment(name: string): string {
    if ([...this.experiments.values()].some((e) => e.name === name)) {
      throw new FakeMlflowError(400, 'RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
    }
    const id = String(this.nextExperimentId++);
    this.experiments.set(id, { experiment_id: id, name, lifecycle_stage: 'active' });
    return id;
  }

  experimentByName(name: string) {
    const found = [...this.experiments.values()].find((e) => e.name === name);
    if (!found) throw missing(`Could not find experiment with name '${name}'`);
    return found;
  }

  createRun(
    experimentId: string,
    runName: string | undefined,
    startTime: number,
    tags: { key: string; value: string }[],
  ): FakeRun {
    if (!this.experiments.has(experimentId)) throw missing(`No Experiment with id=${experimentId} exists`);
    const id = randomBytes(16).toString('hex');
    const name = runName ?? `run-${this.runs.size + 1}`;
    const run: FakeRun = {
      info: {
        run_uuid: id,
        experiment_id: experimentId,
        run_name: name,
        user_id: '',
        status: 'RUNNING',
        start_time: startTime,
        artifact_uri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
        lifecycle_stage: 'active',
        run_id: id,
      },
      params: new Map(),
      tags: new Map([...tags.map((t) => [t.key, t.value] as [string, string]), ['mlflow.runName', name]]),
      metrics: [],
      artifacts: new Map(),
    };
    this.runs.set(id, run);
    return run;
  }

  run(id: string): FakeRun {
    const run = this.runs.get(id);
    if (!run) throw missing(`Run with id=${id} not found`);
    return run;
  }

  /** A run that may be written to: it exists and is not deleted. */
  activeRun(id: string): FakeRun {
    const run = this.run(id);
    if (run.info.lifecycle_stage !== 'active') {
      throw invalid(`The run ${id} must be in the 'active' state. Current state is ${run.info.lifecycle_stage}.`);
    }
    return run;
  }

  toJson(run: FakeRun) {
    const list = (m: Map<string, string>) => [...m].map(([key, value]) => ({ key, value }));
    const latest = new Map<string, FakeRun['metrics'][number]>();
    for (const m of run.metrics) if ((latest.get(m.key)?.step ?? -1) <= m.step) latest.set(m.key, m);
    return {
      info: run.info,
      data: { metrics: [...latest.values()], params: list(run.params), tags: list(run.tags) },
      inputs: {},
    };
  }
}
