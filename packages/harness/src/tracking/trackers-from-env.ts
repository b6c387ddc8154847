import type { PluginContext, PluginRegistry, Tracker } from '@lookright/core';
import { TrackingObserver } from './tracking-observer.js';

/**
 * The trackers a run reports to: the suite's `trackers:` list, or `tracker:mlflow` alone when the suite lists
 * none and MLFLOW_TRACKING_URI is set. Creating a tracker never contacts its backend.
 */
export async function createTrackers(
  registry: PluginRegistry,
  refs: readonly { id: string; params?: Record<string, unknown> }[] | undefined,
  ctx: PluginContext,
): Promise<Tracker[]> {
  const chosen = refs?.length ? refs : ctx.env.MLFLOW_TRACKING_URI ? [{ id: 'tracker:mlflow' }] : [];
  const trackers: Tracker[] = [];
  for (const ref of chosen) {
    trackers.push(await registry.create('tracker', ref, ctx));
  }
  return trackers;
}

/** The run observers that report a suite to its trackers (none when it has no tracker and no MLFLOW_TRACKING_URI). */
export async function trackingObservers(
  registry: PluginRegistry,
  refs: readonly { id: string; params?: Record<string, unknown> }[] | undefined,
  ctx: PluginContext,
): Promise<TrackingObserver[]> {
  const trackers = await createTrackers(registry, refs, ctx);
  return trackers.length ? [new TrackingObserver(trackers, ctx.log)] : [];
}
