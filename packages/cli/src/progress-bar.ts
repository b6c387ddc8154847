import type { ProgressOptions, ProgressReporter } from '@lookright/train';
import { Presets, SingleBar } from 'cli-progress';

/**
 * A cli-progress bar with step, loss, tokens/s and ETA, for `lookright train` on a terminal only: cli-progress
 * draws a wrong final frame when stdout is not a TTY, where train's plain lines are used instead.
 */
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
