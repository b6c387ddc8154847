export * from './errors.js';
export * from './mlflow/batches.js';
export * from './mlflow/client.js';
export * from './mlflow/connection.js';
export * from './mlflow/mlflow-tracker.js';
export * from './mlflow-tracker-plugin.js';
