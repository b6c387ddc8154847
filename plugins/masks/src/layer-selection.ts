import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { maskErrors } from './errors.js';

/** Throws unless `numLayers` is a positive integer (a backbone bug otherwise, reported with the plugin id). */
export function checkLayerCount(id: string, numLayers: number): void {
  if (!Number.isInteger(numLayers) || numLayers < 1) throw maskErrors.badLayerCount(id, numLayers);
}

/** One spec per layer: `bidirectional` where `isOpen(layer)`, `causal` elsewhere. */
export function specsWhere(numLayers: number, isOpen: (layer: number) => boolean): LayerMaskSpec[] {
  return Array.from({ length: numLayers }, (_, layer) => (isOpen(layer) ? bidirectional : causal));
}

/** Throws unless `value` is an integer >= 0 (params created outside a validated suite reach here too). */
export function checkCount(id: string, param: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw maskErrors.badCount(id, param, value);
  return value;
}

/** The JSON schema of a layer list: `"0-7,24-31"` or `[0, 1, 2]`. */
export const layerListSchema = {
  oneOf: [
    {
      type: 'string',
      pattern: '^\\s*\\d+(\\s*-\\s*\\d+)?(\\s*,\\s*\\d+(\\s*-\\s*\\d+)?)*\\s*$',
      description: 'layer indices and inclusive ranges, 0 nearest the input, e.g. "0-7,24-31"',
    },
    { type: 'array', items: { type: 'integer', minimum: 0 }, uniqueItems: true, minItems: 1 },
  ],
} as const;

/**
 * Parses a layer list (`"0-7,24-31"` or an array of indices) into sorted unique indices checked against
 * `numLayers`. Without `numLayers` it only checks the syntax and returns an empty list. Errors name the plugin
 * and the param.
 */
export function parseLayerList(
  id: string,
  param: string,
  value: string | readonly number[],
  numLayers?: number,
): number[] {
  const text = typeof value === 'string' ? value : value.join(',');
  const indices = new Set<number>();
  const parts = text.split(',').map((part) => part.trim());
  for (const part of parts) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!match) {
      throw maskErrors.badLayerList(id, param, text, part === '' ? 'an entry is empty' : `"${part}" is not N or N-M`);
    }
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw maskErrors.badLayerList(id, param, text, `the range ${part} runs backwards`);
    if (numLayers === undefined) continue;
    if (to >= numLayers) throw maskErrors.layerOutOfRange(id, param, to, numLayers);
    for (let layer = from; layer <= to; layer++) indices.add(layer);
  }
  return [...indices].sort((a, b) => a - b);
}

/** Writes sorted indices back in range notation: [0,1,2,5] -> "0-2,5". */
export function formatLayerList(indices: readonly number[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= indices.length; i++) {
    if (i < indices.length && indices[i] === indices[i - 1] + 1) continue;
    const from = indices[start];
    const to = indices[i - 1];
    parts.push(from === to ? String(from) : `${from}-${to}`);
    start = i;
  }
  return parts.join(',');
}
