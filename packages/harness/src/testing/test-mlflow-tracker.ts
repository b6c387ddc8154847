import { connectionFromEnv, MlflowClient, MlflowTracker } from '@lookright/plugin-trackers';

/** An MLflow tracker for the server at `uri` (the recorded-transcript stand-in in tests), 500 ms request timeout. */
export const testMlflowTracker = (uri: string) =>
  new MlflowTracker(new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: uri }), 500));
