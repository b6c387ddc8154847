/** One optimiser step's figures, as shown to the person running training. */
export interface StepProgress {
  step: number;
  loss: number;
  learningRate: number;
  tokensPerSecond: number;
}

/** Shows training progress: a live bar on a terminal, plain periodic lines anywhere else. */
export interface ProgressReporter {
  update(progress: StepProgress): void;
  /** A line that must not be overwritten by the bar (evaluation results, warnings). */
  note(line: string): void;
  stop(): void;
}

export interface ProgressOptions {
  totalSteps: number;
  /** First step shown (a resumed run starts past 0). */
  startStep: number;
  /** Plain mode prints one line every this many steps (and at the last). */
  every: number;
  /** Where plain lines and notes go. */
  log: (line: string) => void;
}

/**
 * How training reports its progress: an observer the caller chooses. The default is plainProgress; the CLI passes
 * a terminal bar when stdout is a TTY (train itself draws nothing).
 */
export type ProgressFactory = (options: ProgressOptions) => ProgressReporter;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m` : `${Math.floor(s / 60)}m${s % 60}s`;
}

/** Plain lines: `step 20/300 loss 0.8123 lr 1.9e-4 1234 tok/s eta 3m10s`. */
export function plainProgress(options: ProgressOptions, now: () => number = Date.now): ProgressReporter {
  const started = now();
  return {
    update(p) {
      if (p.step % options.every !== 0 && p.step !== options.totalSteps) return;
      const done = p.step - options.startStep;
      const elapsed = (now() - started) / 1000;
      const eta = done > 0 ? (elapsed / done) * (options.totalSteps - p.step) : Number.NaN;
      options.log(
        `step ${p.step}/${options.totalSteps} loss ${p.loss.toFixed(4)} lr ${p.learningRate.toExponential(2)} ` +
          `${Math.round(p.tokensPerSecond)} tok/s eta ${formatDuration(eta)}`,
      );
    },
    note: options.log,
    stop() {},
  };
}
