import type { Cell } from '../expand/cell-types.js';
import { backboneParameters } from './backbone-size.js';
import { backboneKey, type Calibration } from './calibrate.js';
import { cellWorkload } from './cell-workload.js';
import type { BackendRate } from './measure-backend.js';

/**
 * FLOP rate assumed when nothing could be calibrated: the wasm backend's measured 2-D matMul rate on this kind of
 * machine (~30 GFLOP/s, docs/DESIGN engine facts). Real training reaches a fraction of it, so estimates on this
 * basis are optimistic.
 */
export const documentedFlopsPerSecond = 30e9;

export interface CellEstimate {
  cell: Cell;
  seconds: number | null;
  basis: string;
}

/** 260K, 125M, 6.74B. */
function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)}M`;
  return `${(n / 1e3).toFixed(0)}K`;
}

/** Training FLOPs per token: forward 2N plus backward 2N (activations) and, without LoRA, 2N more (weights). */
export const flopsPerToken = (parameters: number, lora: boolean) => (lora ? 4 : 6) * parameters;

/** A FLOP rate for training and what it rests on (see trainingFlopRate). */
export interface FlopRate {
  flopsPerSecond: number;
  basis: string;
}

/**
 * The FLOP rate training reaches here: the median of the calibrated backbones' rates when there are any, else
 * the backend's measured matMul rate, else the documented rate.
 */
export function trainingFlopRate(
  cells: readonly Cell[],
  calibrations: ReadonlyMap<string, Calibration>,
  probe?: BackendRate,
): FlopRate {
  const byHash = new Map(cells.map((c) => [c.hash, c]));
  const rates: number[] = [];
  for (const calibration of calibrations.values()) {
    const cell = byHash.get(calibration.cellHash);
    const size = cell && backboneParameters(cell.config.backbone, cell.config.suite.baseDir);
    const work = cell && cellWorkload(cell.config);
    if (!cell || !size || !work?.tokens || !work.steps || calibration.secondsPerStep <= 0) continue;
    rates.push(
      (flopsPerToken(size.count, cell.config.recipe.lora !== false) * (work.tokens / work.steps)) /
        calibration.secondsPerStep,
    );
  }
  const measuredRate = rates.length ? rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)] : undefined;
  const rate = measuredRate ?? (probe ? probe.gflops * 1e9 : documentedFlopsPerSecond);
  const rateBasis = measuredRate
    ? `${(measuredRate / 1e9).toFixed(2)} GFLOP/s reached by the calibrated backbone(s)`
    : probe
      ? `the ${probe.gflops.toFixed(1)} GFLOP/s matMul rate measured on ${probe.backend} (training reaches less: a lower bound)`
      : `the documented ${documentedFlopsPerSecond / 1e9} GFLOP/s (nothing calibrated or measured)`;
  return { flopsPerSecond: rate, basis: rateBasis };
}

/**
 * Estimates each cell's seconds: from its backbone's calibration scaled by tokens per step when there is one;
 * else from the backbone's parameter count at the FLOP rate the calibrated backbones reached (else the backend's
 * measured matMul rate, else the documented rate); else unknown.
 */
export function estimateCells(
  cells: readonly Cell[],
  calibrations: ReadonlyMap<string, Calibration>,
  probe?: BackendRate,
): CellEstimate[] {
  const byHash = new Map(cells.map((c) => [c.hash, c]));
  const { flopsPerSecond: rate, basis: rateBasis } = trainingFlopRate(cells, calibrations, probe);

  return cells.map((cell) => {
    const work = cellWorkload(cell.config);
    if (work.steps === null || work.tokens === null) {
      return {
        cell,
        seconds: null,
        basis: `unknown: dataset unavailable (${cell.config.dataset.fingerprint.unavailable ?? '?'})`,
      };
    }
    const calibration = calibrations.get(backboneKey(cell.config));
    const calibrationCell = calibration && byHash.get(calibration.cellHash);
    if (calibration && calibrationCell) {
      const ref = cellWorkload(calibrationCell.config);
      const scale = ref.tokens && ref.steps ? work.tokens / work.steps / (ref.tokens / ref.steps) : 1;
      return {
        cell,
        seconds: calibration.fixedSeconds + work.steps * calibration.secondsPerStep * scale,
        basis: 'calibrated',
      };
    }
    const size = backboneParameters(cell.config.backbone, cell.config.suite.baseDir);
    if (!size) return { cell, seconds: null, basis: 'unknown: backbone size unknown and not calibrated' };
    const seconds = (work.tokens * flopsPerToken(size.count, cell.config.recipe.lora !== false)) / rate;
    return { cell, seconds, basis: `${formatCount(size.count)} params (${size.source}) at ${rateBasis}` };
  });
}
