import type { MetricPoint } from '@lookright/core';
import { trackerErrors } from '../errors.js';

/** MLflow 2.x server limits for one runs/log-batch request (recorded from a real 2.12.2 server). */
export const mlflowLimits = { metrics: 1000, params: 100, tags: 100, entities: 1000, paramValueChars: 6000 } as const;

type KeyValue = { key: string; value: string };
type WireMetric = { key: string; value: number | string; timestamp: number; step: number };

const metricNameRe = /^[A-Za-z0-9_\-. /]+$/;

/** Normalises a name the way a file path would be, to catch `a/../b` (which MLflow refuses). */
function resolvesToItself(name: string): boolean {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/') === name;
}

/**
 * Validates a metric before it is sent. The server silently stores a non-numeric value in a batch as 0, so a
 * value that is not a number is refused here. NaN and infinities are sent in protobuf-JSON spelling.
 */
export function toWireMetric(metric: MetricPoint): WireMetric {
  if (!metricNameRe.test(metric.key) || !resolvesToItself(metric.key)) {
    throw trackerErrors.invalidMetric(metric.key, 'the name has characters or path parts MLflow refuses');
  }
  if (typeof metric.value !== 'number')
    throw trackerErrors.invalidMetric(metric.key, `value ${JSON.stringify(metric.value)} is not a number`);
  if (!Number.isInteger(metric.step) || !Number.isFinite(metric.timestamp)) {
    throw trackerErrors.invalidMetric(metric.key, 'step must be an integer and timestamp a number of milliseconds');
  }
  const value = Number.isNaN(metric.value)
    ? 'NaN'
    : Number.isFinite(metric.value)
      ? metric.value
      : metric.value > 0
        ? 'Infinity'
        : '-Infinity';
  return { key: metric.key, value, timestamp: metric.timestamp, step: metric.step };
}

/**
 * Params longer than MLflow's 6000 characters would be truncated silently by the server. They are split instead:
 * `key` holds the first 6000 characters, `key.part2`, `key.part3`, ... the rest.
 */
export function toWireParams(params: Record<string, string>): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw trackerErrors.invalidParam(key, 'the value is not a string');
    const size = mlflowLimits.paramValueChars;
    for (let part = 0; part * size < Math.max(value.length, 1); part++) {
      out.push({
        key: part === 0 ? key : `${key}.part${part + 1}`,
        value: value.slice(part * size, (part + 1) * size),
      });
    }
  }
  return out;
}

export const toWireTags = (tags: Record<string, string>): KeyValue[] =>
  Object.entries(tags).map(([key, value]) => ({ key, value }));

/** Splits metrics, params and tags into log-batch requests that respect every per-request limit. */
export function chunkBatch(input: { metrics?: WireMetric[]; params?: KeyValue[]; tags?: KeyValue[] }) {
  const batches: { metrics: WireMetric[]; params: KeyValue[]; tags: KeyValue[] }[] = [];
  const queues = {
    metrics: [...(input.metrics ?? [])],
    params: [...(input.params ?? [])],
    tags: [...(input.tags ?? [])],
  };
  while (queues.metrics.length || queues.params.length || queues.tags.length) {
    const params = queues.params.splice(0, mlflowLimits.params);
    const tags = queues.tags.splice(0, mlflowLimits.tags);
    const room = mlflowLimits.entities - params.length - tags.length;
    const metrics = queues.metrics.splice(0, Math.min(mlflowLimits.metrics, room));
    batches.push({ metrics, params, tags });
  }
  return batches;
}
