/**
 * `pnpm bench:train`: training throughput of the engine's Llama on tfjs (native kernels off and on) next to the
 * PyTorch reference, one process per measurement, one JSON line each, then one ratio line per (config, mode).
 *
 * Options (all optional):
 *   --configs reference,large   --modes full,lora   --native off,on   --backend wasm|cpu
 *   --steps 20 --warmup 3        --no-pytorch        --parallel N (different measurements at once)
 *   --copies N (each measurement as N identical processes at once: cells sharing the machine)
 *   --no-conll (skip the quickstart-conll cell row)   --smoke (2 steps, 1 warm-up, a 64-sentence 1-epoch cell:
 *   checks that every row runs, measures nothing worth quoting)
 *
 * Rows: the four (config, mode) training steps, each through the trainer's own step (TrainerStep: model, LoRA,
 * head, loss, clipping, AdamW), and the quickstart-conll cell end to end (run-conll.ts; needs LOOKRIGHT_DATA_DIR).
 * The limit columns: the step's matmul FLOPs (step-flops.ts) and the machine's single-GEMM peak at 2 BLAS threads
 * (gemm-peak.ts, measured first in the same command) give the FLOP-bound tokens/s, and each side's fraction of it.
 * Environment passed through: OPENBLAS_NUM_THREADS, OPENBLAS_THREAD_TIMEOUT, LOOKRIGHT_NATIVE_*.
 *
 * The PyTorch reference at its best: it runs once per variant (torch-variants.ts: Debian's OpenMP and pthread
 * OpenBLAS builds, each with and without the environment's OPENBLAS_* settings, OPENBLAS_CORETYPE as
 * @lookright/native chooses it included), each line reporting its torch version, ATen parallel backend, BLAS library,
 * kernel core and threads; the ratios use the fastest variant, and the summary lists them all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseBlasCoreType } from '@lookright/native';
import { BATCH, type BenchMode, benchModels, SEQ } from './bench-config.js';
import { stepMatmulFlops } from './step-flops.js';
import { torchVariants } from './torch-variants.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.LOOKRIGHT_BENCH_PYTHON ?? '/usr/bin/python3';
/** Bars from issue 16, as fractions of PyTorch's tokens/s. */
const BARS = { tfjs: 0.2, native: 1.2 };

type Line = Record<string, unknown> & { config: string; mode: string; tokens_per_s: number; native: boolean | null };

function runJson(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Line> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      const json = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && json) resolve(JSON.parse(json) as Line);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err.split('\n').slice(-15).join('\n')}`));
    });
  });
}

function load(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      configs: { type: 'string', default: 'reference,large' },
      modes: { type: 'string', default: 'full,lora' },
      native: { type: 'string', default: 'off,on' },
      backend: { type: 'string', default: 'wasm' },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      parallel: { type: 'string', default: '1' },
      copies: { type: 'string', default: '1' },
      'no-pytorch': { type: 'boolean', default: false },
      'no-conll': { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
    },
  });
  if (values.smoke) Object.assign(values, { steps: '2', warmup: '1' });
  const list = (s: string) => s.split(',').filter(Boolean);
  chooseBlasCoreType();
  const peak = await runJson(process.execPath, ['--import', 'tsx', join(here, 'gemm-peak.ts')], process.env);
  console.log(JSON.stringify(peak));
  const peakGflops = typeof peak.gemm_peak_gflops === 'number' ? peak.gemm_peak_gflops : null;
  const jobs: { cmd: string; args: string[]; env: NodeJS.ProcessEnv }[] = [];
  for (const config of list(values.configs)) {
    for (const mode of list(values.modes)) {
      const common = ['--config', config, '--mode', mode, '--steps', values.steps, '--warmup', values.warmup];
      for (const native of list(values.native)) {
        const args = ['--import', 'tsx', join(here, 'run-one.ts'), ...common, '--backend', values.backend];
        jobs.push({ cmd: process.execPath, args: [...args, '--native', native], env: process.env });
      }
      if (!values['no-pytorch']) {
        const threads = process.env.OPENBLAS_NUM_THREADS ?? '2';
        for (const variant of torchVariants(process.env)) {
          const args = [join(here, '..', 'reference', 'train_throughput.py'), ...common, '--threads', threads];
          jobs.push({ cmd: PYTHON, args: [...args, '--variant', variant.name], env: variant.env });
        }
      }
    }
  }
  if (!values['no-conll']) {
    const smoke = values.smoke ? ['--epochs', '1', '--train-limit', '64'] : [];
    for (const native of list(values.native)) {
      const args = ['--import', 'tsx', join(here, 'run-conll.ts'), '--native', native, ...smoke];
      jobs.push({ cmd: process.execPath, args, env: process.env });
    }
  }
  // --copies N: every measurement runs as N identical processes at once (cells sharing the machine).
  const copies = Math.max(1, Number(values.copies));
  const all = jobs.flatMap((j) => Array.from({ length: copies }, () => j));
  jobs.splice(0, jobs.length, ...all);
  const blasCore = process.env.OPENBLAS_CORETYPE ?? null;
  console.log(
    JSON.stringify({ load_before: load(), parallel: Number(values.parallel), copies, jobs: jobs.length, blasCore }),
  );
  const results: Line[] = [];
  const width = copies > 1 ? copies : Math.max(1, Number(values.parallel));
  for (let i = 0; i < jobs.length; i += width) {
    const batch = jobs.slice(i, i + width).map((j) =>
      runJson(j.cmd, j.args, j.env).catch((err: Error) => {
        // a missing or broken PyTorch leaves its ratio empty instead of losing the tfjs measurements
        if (j.cmd !== PYTHON) throw err;
        return { error: `${err.message}\n(install python3-torch, set LOOKRIGHT_BENCH_PYTHON, or pass --no-pytorch)` };
      }),
    );
    for (const line of await Promise.all(batch)) {
      if ('error' in line) {
        console.error(line.error);
        continue;
      }
      results.push(line);
      console.log(JSON.stringify(line));
    }
  }
  for (const config of list(values.configs)) {
    for (const mode of list(values.modes)) {
      // with --copies N, the N processes' throughputs add up (the machine's total)
      const pick = (native: boolean | null, variant?: unknown) =>
        results
          .filter((r) => r.config === config && r.mode === mode && r.native === native)
          .filter((r) => variant === undefined || r.variant === variant)
          .reduce<number | undefined>((sum, r) => (sum ?? 0) + r.tokens_per_s, undefined);
      // the fastest PyTorch variant is the reference
      const variants = [...new Set(results.filter((r) => r.native === null).map((r) => String(r.variant)))];
      const byVariant = Object.fromEntries(variants.map((v) => [v, pick(null, v) ?? 0]));
      const bestVariant = variants.sort((a, b) => byVariant[b] - byVariant[a])[0];
      const torch = bestVariant === undefined ? undefined : byVariant[bestVariant];
      const ratio = (v: number | undefined) => (v && torch ? Number((v / torch).toFixed(3)) : null);
      const tfjs = ratio(pick(false));
      const native = ratio(pick(true));
      const model = benchModels[config as keyof typeof benchModels];
      const flops = model ? stepMatmulFlops(model, mode as BenchMode) : null;
      // FLOP-bound tokens/s: every matmul of the step at the single-GEMM peak, nothing else costing time
      const limit = flops && peakGflops ? (BATCH * SEQ) / (flops / (peakGflops * 1e9)) : null;
      const ofLimit = (v: number | undefined) => (v && limit ? Number((v / limit).toFixed(3)) : null);
      console.log(
        JSON.stringify({
          config,
          mode,
          matmul_gflop_per_step: flops === null ? null : Number((flops / 1e9).toFixed(2)),
          gemm_peak_gflops: peakGflops,
          limit_tokens_per_s: limit === null ? null : Math.round(limit),
          tfjs_of_limit: ofLimit(pick(false)),
          native_of_limit: ofLimit(pick(true)),
          pytorch_of_limit: ofLimit(torch),
          pytorch_tokens_per_s: torch ?? null,
          pytorch_best_variant: bestVariant ?? null,
          pytorch_variants: byVariant,
          tfjs_vs_pytorch: tfjs,
          native_vs_pytorch: native,
          tfjs_bar: BARS.tfjs,
          native_bar: BARS.native,
          tfjs_meets_bar: tfjs === null ? null : tfjs >= BARS.tfjs,
          native_meets_bar: native === null ? null : native >= BARS.native,
        }),
      );
    }
  }
  console.log(JSON.stringify({ load_after: load() }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
