import { trackerErrors } from '../errors.js';

/** Where and how to reach an MLflow server. Credentials stay in here and are only ever put in headers. */
export interface MlflowConnection {
  /** Base URL without a trailing slash and without user:password. */
  baseUrl: string;
  headers: Record<string, string>;
}

/**
 * Reads MLFLOW_TRACKING_URI and the credentials: MLFLOW_TRACKING_TOKEN (bearer) or MLFLOW_TRACKING_USERNAME +
 * MLFLOW_TRACKING_PASSWORD (basic); user:password inside the URI are accepted too and moved into the header.
 */
export function connectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  uriOverride?: string,
): MlflowConnection {
  const raw = uriOverride ?? env.MLFLOW_TRACKING_URI;
  const key = uriOverride ? "the tracker's uri param" : 'MLFLOW_TRACKING_URI';
  let url: URL;
  try {
    url = new URL(raw ?? '');
  } catch {
    throw trackerErrors.badTrackingUri(key);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw trackerErrors.badTrackingUri(key);
  const headers: Record<string, string> = {};
  const user = env.MLFLOW_TRACKING_USERNAME ?? decodeURIComponent(url.username);
  const password = env.MLFLOW_TRACKING_PASSWORD ?? decodeURIComponent(url.password);
  if (env.MLFLOW_TRACKING_TOKEN) headers.authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  else if (user) headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  return { baseUrl: url.toString().replace(/\/+$/, ''), headers };
}
