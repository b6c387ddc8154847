/**
 * `pnpm bench:train`: training throughput of the engine's Llama on tfjs (native kernels off and on) next to the
 * PyTorch reference, one process per measurement, one JSON line each, then one ratio line per (config, mode).
 *
 * Options (all optional):
 *   --configs reference,large   --modes full,lora   --native off,on   --backend wasm|cpu
 *   --steps 20 --warmup 3        --no-pytorch        --parallel N (different measurements at once)
 *   --copies N (each measurement as N identical processes at once: cells sharing the machine)
 *   --repeat N (the whole list N times, round after round; lines carry `round`, the summary takes each
 *   measurement's median over rounds and lists each round's own ratios)
 *   --no-conll (skip the quickstart-conll cell row)   --smoke (2 steps, 1 warm-up, a 64-sentence 1-epoch cell:
 *   checks that every row runs, measures nothing worth quoting)
 *   --wasm-threads N (default: PyTorch's thread count, OPENBLAS_NUM_THREADS or 2): LOOKRIGHT_WASM_THREADS for the
 *   pure tfjs rows (native rows keep one wasm thread)
 *   --matmul f32,bf16 (default f32,bf16 on a CPU with AMX-BF16, else f32): bf16 adds, per (config, mode), a native-on run with run-one's
 *   `--matmul-precision bf16` (pure tfjs has no bf16 path, so no native-off one) and every PyTorch variant once
 *   more with the reference's `--matmul-precision bf16` (CPU autocast), named `<variant>+bf16`
 *
 * Rows: the four (config, mode) training steps, each through the trainer's own step (TrainerStep: model, LoRA,
 * head, loss, clipping, AdamW), and the quickstart-conll cell end to end (run-conll.ts; needs LOOKRIGHT_DATA_DIR).
 * The limit columns: the step's matmul FLOPs (step-flops.ts) and the machine's single-GEMM peak at 2 BLAS threads
 * (gemm-peak.ts, measured first in the same command) give the FLOP-bound tokens/s, and each side's fraction of it.
 * Environment passed through: OPENBLAS_NUM_THREADS, OPENBLAS_THREAD_TIMEOUT, LOOKRIGHT_NATIVE_*.
 *
 * The PyTorch reference at its best: it runs once per variant (torch-variants.ts: Debian's OpenMP and pthread
 * OpenBLAS builds, each with and without the environment's OPENBLAS_* settings, OPENBLAS_CORETYPE and
 * OPENBLAS_THREAD_TIMEOUT as @lookright/native chooses them included), each line reporting its torch version, ATen parallel backend, BLAS library,
 * kernel core and threads; the ratios use the fastest variant, and the summary lists them all.
 * The summary line (summary.ts) computes its existing fields from f32 lines only; with bf16 lines it adds native
 * bf16's tokens/s and its ratios to the fastest PyTorch variant of all (f32 or bf16; the bar) and to the fastest
 * bf16 one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bf16MatmulSupport, chooseBlasCoreType, chooseBlasThreadTimeout } from '@lookright/native';
import { type BenchMode, benchModels, parseMatmulPrecisions } from './bench-config.js';
import { stepMatmulFlops } from './step-flops.js';
import { type BenchLine, summaryLine } from './summary.js';
import { torchRuns, torchVariants } from './torch-variants.js';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.LOOKRIGHT_BENCH_PYTHON ?? '/usr/bin/python3';
function runJson(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<BenchLine> {
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
      if (code === 0 && json) resolve(JSON.parse(json) as BenchLine);
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
      repeat: { type: 'string', default: '1' },
      'no-pytorch': { type: 'boolean', default: false },
      'no-conll': { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      matmul: { type: 'string' },
      'wasm-threads': { type: 'string' },
    },
  });
  if (values.smoke) Object.assign(values, { steps: '2', warmup: '1' });
  const list = (s: string) => s.split(',').filter(Boolean);
  // bf16 rows by default where they can run (AMX-BF16), so one command shows both precisions
  const precisions = parseMatmulPrecisions(values.matmul ?? (bf16MatmulSupport().ok ? 'f32,bf16' : 'f32'));
  chooseBlasCoreType();
  chooseBlasThreadTimeout();
  const peak = await runJson(process.execPath, ['--import', 'tsx', join(here, 'gemm-peak.ts')], process.env);
  console.log(JSON.stringify(peak));
  const peakGflops = typeof peak.gemm_peak_gflops === 'number' ? peak.gemm_peak_gflops : null;
  const jobs: { cmd: string; args: string[]; env: NodeJS.ProcessEnv }[] = [];
  const torchThreads = process.env.OPENBLAS_NUM_THREADS ?? '2';
  // pure tfjs gets as many threads as PyTorch (XNNPACK through the threaded wasm build); native rows keep one wasm
  // thread, as a cell with native kernels runs unless LOOKRIGHT_WASM_THREADS says otherwise
  const wasmThreads = values['wasm-threads'] ?? torchThreads;
  const { LOOKRIGHT_WASM_THREADS: _, ...oneWasmThread } = process.env;
  const tfjsEnv = (native: string): NodeJS.ProcessEnv =>
    native === 'on' ? oneWasmThread : { ...process.env, LOOKRIGHT_WASM_THREADS: wasmThreads };
  for (const config of list(values.configs)) {
    for (const mode of list(values.modes)) {
      const common = ['--config', config, '--mode', mode, '--steps', values.steps, '--warmup', values.warmup];
      for (const precision of precisions) {
        // f32 runs keep their old command line; pure tfjs (native off) has no bf16 path
        const extra = precision === 'f32' ? [] : ['--matmul-precision', precision];
        for (const native of list(values.native).filter((n) => precision === 'f32' || n === 'on')) {
          const args = ['--import', 'tsx', join(here, 'run-one.ts'), ...common, '--backend', values.backend];
          jobs.push({ cmd: process.execPath, args: [...args, '--native', native, ...extra], env: tfjsEnv(native) });
        }
      }
      if (!values['no-pytorch']) {
        for (const run of torchRuns(torchVariants(process.env), precisions)) {
          const args = [join(here, '..', 'reference', 'train_throughput.py'), ...common, '--threads', torchThreads];
          jobs.push({ cmd: PYTHON, args: [...args, '--variant', run.name, ...run.args], env: run.env });
        }
      }
    }
  }
  if (!values['no-conll']) {
    const smoke = values.smoke ? ['--epochs', '1', '--train-limit', '64'] : [];
    for (const native of list(values.native)) {
      const args = ['--import', 'tsx', join(here, 'run-conll.ts'), '--native', native, ...smoke];
      jobs.push({ cmd: process.execPath, args, env: tfjsEnv(native) });
    }
  }
  // --copies N: every measurement runs as N identical processes at once (cells sharing the machine).
  const copies = Math.max(1, Number(values.copies));
  const all = jobs.flatMap((j) => Array.from({ length: copies }, () => j));
  jobs.splice(0, jobs.length, ...all);
  const blasCore = process.env.OPENBLAS_CORETYPE ?? null;
  const blasThreadTimeout = process.env.OPENBLAS_THREAD_TIMEOUT ?? null;
  // --repeat N: the whole list N times over, one round after another, so drift on the machine reaches every side
  const rounds = Math.max(1, Number(values.repeat));
  const header = {
    load_before: load(),
    parallel: Number(values.parallel),
    copies,
    jobs: jobs.length,
    blasCore,
    wasmThreads,
  };
  console.log(JSON.stringify({ ...header, rounds, blasThreadTimeout }));
  const results: BenchLine[] = [];
  const width = copies > 1 ? copies : Math.max(1, Number(values.parallel));
  for (let round = 1; round <= rounds; round++) {
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
        const tagged = rounds > 1 ? { ...line, round } : line;
        results.push(tagged);
        console.log(JSON.stringify(tagged));
      }
    }
  }
  for (const config of list(values.configs)) {
    for (const mode of list(values.modes)) {
      const model = benchModels[config as keyof typeof benchModels];
      const flops = model ? stepMatmulFlops(model, mode as BenchMode) : null;
      console.log(JSON.stringify(summaryLine(results, config, mode, { flops, peakGflops })));
    }
  }
  console.log(JSON.stringify({ load_after: load() }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
