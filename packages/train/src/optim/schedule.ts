import { trainErrors } from '../errors.js';

export type ScheduleKind = 'cosine' | 'linear' | 'constant';

/** A learning-rate schedule over optimiser steps 0 .. totalSteps-1, with linear warm-up. */
export interface LearningRateSchedule {
  kind: ScheduleKind;
  baseRate: number;
  totalSteps: number;
  warmupSteps: number;
}

/**
 * The learning rate of optimiser step `step` (0-based), as Hugging Face's schedulers compute it: warm-up rises
 * linearly from 0 to `baseRate` over `warmupSteps`, then cosine decays to 0 by `totalSteps` (half a cosine period),
 * linear decays to 0, constant stays.
 */
export function learningRateAt(schedule: LearningRateSchedule, step: number): number {
  const { kind, baseRate, totalSteps, warmupSteps } = schedule;
  if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps)
    throw trainErrors.badSchedule(`warm-up ${warmupSteps} steps of ${totalSteps} total`);
  if (step < warmupSteps) return (baseRate * step) / Math.max(1, warmupSteps);
  if (kind === 'constant') return baseRate;
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  if (kind === 'linear') return baseRate * Math.max(0, 1 - progress);
  return baseRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
}

/** Warm-up steps for a ratio of the total, rounded up as the Trainer does. */
export function warmupStepsFor(ratio: number, totalSteps: number): number {
  return Math.ceil(ratio * totalSteps);
}
