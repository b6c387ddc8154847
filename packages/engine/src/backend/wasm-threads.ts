import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { engineErrors } from '../errors.js';

const require = createRequire(import.meta.url);
const BUILD = 'tfjs-backend-wasm-threaded-simd';
/** tfjs's backend priority for `wasm` (tfjs-backend-wasm registers it with 2). */
const WASM_PRIORITY = 2;
/**
 * The most threads: the build starts 8 Emscripten workers up front (its PTHREAD_POOL_SIZE). More would need workers
 * created while the main thread waits for them, and those would also keep the process alive (untested, not allowed).
 */
export const MAX_WASM_THREADS = 8;

/**
 * The XNNPACK threads the wasm backend should use, from LOOKRIGHT_WASM_THREADS: unset or `1`, one thread (the
 * single-threaded SIMD build tfjs picks under Node); an integer n > 1, n threads through tfjs's threaded SIMD build;
 * `auto`, one per core (os.availableParallelism), at most MAX_WASM_THREADS. Anything else is refused with a typed
 * error naming the variable.
 */
export function wasmThreadsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LOOKRIGHT_WASM_THREADS?.trim();
  if (raw === undefined || raw === '') return 1;
  if (raw === 'auto') return Math.min(availableParallelism(), MAX_WASM_THREADS);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS)
    throw engineErrors.wasmThreadsInvalid(raw, MAX_WASM_THREADS);
  return n;
}

/** The parts of the WebAssembly JS API used here (the project's TypeScript libs carry no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WasmApi };

/** Emscripten's pthread bookkeeping, as far as this module touches it. */
interface EmscriptenThreads {
  PThread: { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[] };
}

/**
 * Registers tfjs-backend-wasm's threaded SIMD build as the `wasm` backend with `threads` XNNPACK threads. tfjs turns
 * that build off under Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE, tfjs issue 3830) because its loader
 * hands the worker script and the main script to Emscripten as Blob URLs, which Node's worker_threads cannot open.
 * Here both are file paths: the worker source tfjs ships as a string goes to a temporary file until the workers have
 * read it. Emscripten sizes its pool from the logical cores, and tfjs caps its threads at half of that, so the core
 * count is reported as 2 × threads. The pool's workers are unref'd: they never keep a finished process alive.
 * XNNPACK splits a product by output tiles, each summed over the whole K by one thread, so every result has the bits
 * of one thread.
 * Call before the backend first starts; `tf.setBackend('wasm')` then starts this build.
 */
export function registerThreadedWasm(threads: number): void {
  const outDir = join(dirname(dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))), 'wasm-out');
  const factory = require(join(outDir, `${BUILD}.js`)) as (config: object) => Promise<EmscriptenThreads>;
  const { wasmWorkerContents } = require(join(outDir, `${BUILD}.worker.js`)) as { wasmWorkerContents: string };
  const workerDir = mkdtempSync(join(tmpdir(), 'lookright-wasm-'));
  const workerFile = join(workerDir, `${BUILD}.worker.js`);
  // the shipped string turned the source's escaped newlines into real ones; a script needs them escaped again
  writeFileSync(workerFile, wasmWorkerContents.replace(/\n/g, '\\n'));
  const binary = readFileSync(join(outDir, `${BUILD}.wasm`));
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await factory({
        locateFile: (path: string) => (path.endsWith('.worker.js') ? workerFile : join(outDir, path)),
        mainScriptUrlOrBlob: join(outDir, `${BUILD}.js`),
        instantiateWasm: (
          imports: { env: Record<string, unknown> },
          receive: (instance: { exports: object }, module: object) => void,
        ) => {
          imports.env.emscripten_num_logical_cores = () => 2 * threads;
          const compiled = new wasmApi.Module(binary);
          const instance = new wasmApi.Instance(compiled, imports);
          receive(instance, compiled);
          return instance.exports;
        },
      });
      // the factory resolves once every preloaded worker has loaded its script, so the file is no longer needed
      rmSync(workerDir, { recursive: true, force: true });
      const backend = new BackendWasm(withTfjsBridge(module));
      unrefWorkers(module);
      return backend;
    },
    WASM_PRIORITY,
  );
  setThreadsCount(threads);
}

/** Lets the process end while the pool's workers idle (Emscripten keeps them referenced under Node). */
function unrefWorkers(module: EmscriptenThreads): void {
  for (const worker of [...module.PThread.unusedWorkers, ...module.PThread.runningWorkers]) worker.unref();
}

/** The `tfjs` entry points BackendWasm calls, as tfjs-backend-wasm's own loader attaches them. */
function withTfjsBridge(module: EmscriptenThreads): ConstructorParameters<typeof BackendWasm>[0] {
  // biome-ignore lint/suspicious/noExplicitAny: Emscripten's module object is untyped
  const m = module as any;
  m.tfjs = {
    init: m.cwrap('init', null, []),
    initWithThreadsCount: m.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: m.cwrap('get_threads_count', 'number', []),
    registerTensor: m.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: m.cwrap('dispose_data', null, ['number']),
    dispose: m.cwrap('dispose', null, []),
  };
  return m;
}
