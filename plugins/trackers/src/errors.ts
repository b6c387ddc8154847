import { LookrightError, redactUrlCredentials } from '@lookright/core';

/** A tracking URI with any user:password redacted, safe to print. */
export function displayUri(uri: string): string {
  return URL.canParse(uri) ? redactUrlCredentials(uri).replace(/\/$/, '') : '<unparseable tracking URI>';
}

export const trackerErrors = {
  badTrackingUri: (key: string) =>
    new LookrightError(
      'MLFLOW_BAD_URI',
      `${key} is not an http(s) URL`,
      'Set MLFLOW_TRACKING_URI to the server address, e.g. http://127.0.0.1:5000 (a file: store is not supported).',
    ),
  unreachable: (uri: string, reason: string) =>
    new LookrightError(
      'TRACKER_UNREACHABLE',
      `MLflow server ${displayUri(uri)} is unreachable (${reason})`,
      "Training goes on; events stay in the store's outbox. Run `pnpm lookright mlflow sync` once the server is back.",
    ),
  refused: (endpoint: string, status: number, errorCode: string, message: string) =>
    new LookrightError(
      'MLFLOW_REFUSED',
      `MLflow refused ${endpoint}: HTTP ${status} ${errorCode}: ${message}`,
      status === 401 || status === 403
        ? 'Check MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD.'
        : 'This event is kept in the outbox; fix the cause and run `pnpm lookright mlflow sync`.',
    ),
  invalidMetric: (key: string, reason: string) =>
    new LookrightError(
      'MLFLOW_INVALID_METRIC',
      `metric ${JSON.stringify(key)} cannot be logged: ${reason}`,
      'Metric names may hold letters, digits, _ - . / and spaces; values must be numbers.',
    ),
  noCellRun: (suiteName: string, cellHash: string) =>
    new LookrightError(
      'MLFLOW_NO_CELL_RUN',
      `MLflow has no run for cell ${cellHash} of suite ${suiteName}, so its files cannot be fetched from there`,
      'The run was deleted, or the worker used another MLflow server: set the same MLFLOW_TRACKING_URI on the harness and every worker.',
    ),
  invalidParam: (key: string, reason: string) =>
    new LookrightError('MLFLOW_INVALID_PARAM', `param ${JSON.stringify(key)} cannot be logged: ${reason}`),
};
