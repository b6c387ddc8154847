import { definePlugin, type Tracker } from '@lookright/core';
import { MlflowClient } from './mlflow/client.js';
import { connectionFromEnv } from './mlflow/connection.js';
import { MlflowTracker } from './mlflow/mlflow-tracker.js';

/** `tracker:mlflow`: logs suites, cells, metrics and artifacts to an MLflow tracking server over REST. */
export const mlflowTrackerPlugin = definePlugin({
  id: 'tracker:mlflow',
  kind: 'tracker',
  summary: 'MLflow tracking server over REST 2.0: experiment per suite, parent run per execution, child run per cell',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      uri: { type: 'string', description: 'tracking server URL; default MLFLOW_TRACKING_URI' },
      timeoutMs: { type: 'integer', minimum: 100, default: 10000 },
    },
  } as const,
  create(params, ctx): Tracker {
    return new MlflowTracker(new MlflowClient(connectionFromEnv(ctx.env, params.uri), params.timeoutMs));
  },
});
