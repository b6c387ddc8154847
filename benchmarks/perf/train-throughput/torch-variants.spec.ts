import assert from 'node:assert/strict';
import { torchRuns, torchVariants } from './torch-variants.js';

describe('torchVariants', () => {
  const env = { PATH: '/bin', OPENBLAS_CORETYPE: 'SkylakeX', OPENBLAS_THREAD_TIMEOUT: '4', LD_LIBRARY_PATH: '/x' };
  const dirs = { openmp: '/blas/openmp', pthread: '/blas/pthread' };

  it('tries each installed OpenBLAS build with and without the OPENBLAS_* settings', () => {
    const variants = torchVariants(env, dirs, () => true);
    assert.deepEqual(
      variants.map((v) => v.name),
      ['openmp', 'openmp/no-openblas-env', 'pthread', 'pthread/no-openblas-env'],
    );
    assert.equal(variants[0].env.LD_LIBRARY_PATH, '/blas/openmp:/x');
    assert.equal(variants[0].env.OPENBLAS_CORETYPE, 'SkylakeX');
    assert.equal(variants[3].env.LD_LIBRARY_PATH, '/blas/pthread:/x');
    assert.deepEqual(
      Object.keys(variants[3].env).filter((k) => k.startsWith('OPENBLAS_')),
      [],
      'an OPENBLAS_ variable survived',
    );
    assert.equal(variants[3].env.PATH, '/bin');
  });

  it('skips a build that is not installed, and runs the environment as it is when none is', () => {
    assert.deepEqual(
      torchVariants(env, dirs, (p) => p === '/blas/pthread').map((v) => v.name),
      ['pthread', 'pthread/no-openblas-env'],
    );
    const none = torchVariants(env, dirs, () => false);
    assert.deepEqual(
      none.map((v) => v.name),
      ['default'],
    );
    assert.equal(none[0].env, env);
  });
});

describe('torchRuns', () => {
  const variants = [
    { name: 'openmp', env: { LD_LIBRARY_PATH: '/blas/openmp' } },
    { name: 'pthread', env: { LD_LIBRARY_PATH: '/blas/pthread' } },
  ];

  it('runs each variant as it is at f32, with no extra argument', () => {
    const runs = torchRuns(variants, ['f32']);
    assert.deepEqual(
      runs.map((r) => [r.name, r.args]),
      [
        ['openmp', []],
        ['pthread', []],
      ],
    );
    assert.equal(runs[1].env, variants[1].env);
  });

  it('runs each variant once more at bf16, named <variant>+bf16, in the same environment', () => {
    const runs = torchRuns(variants, ['f32', 'bf16']);
    assert.deepEqual(
      runs.map((r) => [r.name, r.args]),
      [
        ['openmp', []],
        ['pthread', []],
        ['openmp+bf16', ['--matmul-precision', 'bf16']],
        ['pthread+bf16', ['--matmul-precision', 'bf16']],
      ],
    );
    assert.equal(runs[3].env, variants[1].env);
  });
});
