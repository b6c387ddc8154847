import { Presets, SingleBar } from 'cli-progress';

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
  /** Whether stdout is a terminal; cli-progress draws a wrong final frame elsewhere, so plain lines are used. */
  isTTY: boolean;
}

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

/** A cli-progress bar with step, loss, tokens/s and ETA; only for a TTY. */
export function barProgress(options: ProgressOptions): ProgressReporter {
  const bar = new SingleBar(
    {
      format: 'step {value}/{total} |{bar}| loss {loss} | {tps} tok/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(options.totalSteps, options.startStep, { loss: '-', tps: '-' });
  return {
    update(p) {
      bar.update(p.step, { loss: p.loss.toFixed(4), tps: Math.round(p.tokensPerSecond) });
    },
    note(line) {
      bar.stop();
      options.log(line);
      bar.start(options.totalSteps, bar.getProgress() * options.totalSteps, { loss: '-', tps: '-' });
    },
    stop() {
      bar.stop();
    },
  };
}

export function createProgress(options: ProgressOptions): ProgressReporter {
  return options.isTTY ? barProgress(options) : plainProgress(options);
}
