/** Service id under which tracker plugin descriptors are bound. */
export const Tracker = Symbol.for('lookright.Tracker');

/** Receives what a run produces. Implementations must never block training on a failing backend. */
export interface Tracker {
  readonly name: string;
}
