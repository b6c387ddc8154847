import type { Backbone, MaskStrategy, PluginContext, PluginRegistry } from '@lookright/core';
import type { CellPoint } from './cell-filter.js';
import type { ResolvedPlugin } from './cell-types.js';
import { isImpossibleParamError } from './param-errors.js';

/** A backbone × mask pair of the suite that cannot run, and why. */
export interface MaskPairProblem {
  backbone: string;
  mask: string;
  reason: string;
}

/** What checking the suite's backbone × mask pairs found. */
export interface MaskPairCheck {
  problems: MaskPairProblem[];
  /** One line per backbone that could not be opened without downloading it: its pairs are checked when a cell runs. */
  unchecked: string[];
  /** Each backbone as opened (offline), or null when it could not be. */
  backbones: Map<ResolvedPlugin, Backbone | null>;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** The code of a LookrightError (checked by shape: plugins may load their own copy of core's class). */
const codeOf = (error: unknown) =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

/**
 * Creates each distinct backbone and mask of the cells once and asks the backbone whether the mask's per-layer
 * specs apply (Backbone.checkMasks; e.g. an encoder takes only bidirectional layers). Backbones are opened with
 * HF_HUB_OFFLINE=1, so nothing is downloaded: a hub backbone not yet in the cache is reported in `unchecked`
 * (in `error` mode any other failure to open a backbone is raised, as the cell would fail on it anyway).
 */
export async function checkMaskPairs(
  points: readonly CellPoint[],
  registry: PluginRegistry,
  ctx: PluginContext,
  missingData: 'error' | 'mark',
): Promise<MaskPairCheck> {
  const offline: PluginContext = { ...ctx, env: { ...ctx.env, HF_HUB_OFFLINE: '1' } };
  const backbones = new Map<ResolvedPlugin, Backbone | null>();
  const masks = new Map<ResolvedPlugin, MaskStrategy>();
  const unchecked: string[] = [];
  const problems: MaskPairProblem[] = [];
  const seen = new Set<string>();
  for (const { backbone: b, mask: m } of points) {
    if (!backbones.has(b)) {
      try {
        backbones.set(b, await registry.create('backbone', b, offline));
      } catch (error) {
        if (codeOf(error) === 'PLUGIN_CONTRACT') throw error;
        const notCached = codeOf(error) === 'HUB_NOT_CACHED';
        if ((missingData === 'error' && !notCached) || isImpossibleParamError(error)) throw error;
        backbones.set(b, null);
        unchecked.push(`masks of ${b.label} are checked when its cells run: ${message(error)}`);
      }
    }
    const backbone = backbones.get(b);
    if (!backbone || seen.has(`${b.label}\u0000${m.label}`)) continue;
    seen.add(`${b.label}\u0000${m.label}`);
    let mask = masks.get(m);
    if (!mask) {
      mask = await registry.create('mask', m, ctx);
      masks.set(m, mask);
    }
    let reason: string | null;
    try {
      reason = backbone.checkMasks(mask.layerSpecs(backbone.numLayers));
    } catch (error) {
      if (codeOf(error) === undefined) throw error;
      reason = message(error);
    }
    if (reason) problems.push({ backbone: b.label, mask: m.label, reason });
  }
  return { problems, unchecked, backbones };
}
