import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_WASM_THREADS, wasmThreadsFromEnv } from './wasm-threads.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * In a fresh process (the wasm build is chosen once per process): starts wasm through selectBackend with
 * LOOKRIGHT_WASM_THREADS as given, runs a two-layer network's forward and gradients at shapes XNNPACK splits
 * across threads, and prints the threads the backend reports and a hash of every output's bits. The child is not
 * told to exit: it must end by itself once its work is done.
 */
function runChild(threads: string | undefined): { threads: number; bits: string; loss: number } {
  const script = `
    Promise.all([import('${pathToFileURL(join(here, 'select-backend.ts')).href}'), import('@tensorflow/tfjs'),
        import('node:crypto')]).then(async ([{ selectBackend }, tf, { createHash }]) => {
      const d = await selectBackend('wasm');
      const x = tf.randomNormal([300, 384], 0, 1, 'float32', 1);
      const w1 = tf.variable(tf.randomNormal([384, 520], 0, 0.05, 'float32', 2));
      const w2 = tf.variable(tf.randomNormal([520, 97], 0, 0.05, 'float32', 3));
      const { value, grads } = tf.variableGrads(() =>
        tf.neg(tf.mean(tf.logSoftmax(tf.matMul(tf.relu(tf.matMul(x, w1)), w2)))));
      const hash = createHash('sha256');
      for (const t of [value, grads[w1.name], grads[w2.name], tf.matMul(x, w1, false, false)])
        hash.update(Buffer.from((await t.data()).buffer));
      console.log(JSON.stringify({ threads: d.threads, bits: hash.digest('hex'), loss: (await value.data())[0] }));
    });`;
  const env = { ...process.env };
  delete env.LOOKRIGHT_WASM_THREADS;
  if (threads !== undefined) env.LOOKRIGHT_WASM_THREADS = threads;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    env,
    encoding: 'utf8',
    cwd: here,
    timeout: 120_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '');
}

describe('wasm threads (LOOKRIGHT_WASM_THREADS)', () => {
  it('reads the thread count: unset or 1 is one thread, auto is one per core up to the pool size', () => {
    assert.equal(wasmThreadsFromEnv({}), 1);
    assert.equal(wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: '' }), 1);
    assert.equal(wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: '1' }), 1);
    assert.equal(wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: ' 3 ' }), 3);
    assert.equal(wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: 'auto' }), Math.min(availableParallelism(), 8));
    assert.equal(wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: '8' }), MAX_WASM_THREADS);
  });

  it('refuses a value that is not a thread count, naming the variable and what to set', () => {
    for (const bad of ['0', '-2', '1.5', 'two', '9']) {
      assert.throws(
        () => wasmThreadsFromEnv({ LOOKRIGHT_WASM_THREADS: bad }),
        (e: Error & { code?: string; hint?: string }) =>
          e.code === 'WASM_THREADS_INVALID' &&
          e.message.includes('LOOKRIGHT_WASM_THREADS') &&
          e.message.includes(JSON.stringify(bad)) &&
          e.message.includes('from 1 to 8') &&
          /auto/.test(e.hint ?? ''),
        bad,
      );
    }
  });

  it('runs the threaded build under Node with the bits of one thread, and the process ends by itself', function () {
    this.timeout(300_000);
    const one = runChild(undefined);
    const two = runChild('2');
    assert.equal(one.threads, 1);
    assert.equal(two.threads, 2);
    assert.ok(Number.isFinite(one.loss) && one.loss > 0, `a real loss (${one.loss})`);
    assert.equal(two.bits, one.bits, 'forward and gradients bit for bit as with one thread');
  });
});
