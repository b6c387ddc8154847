import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CellPayload, packCell, payloadLog, unpackCell } from './cell-payload.js';

describe('cell payload', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-payload-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function outputWithFiles() {
    const out = join(dir, 'out');
    mkdirSync(join(out, 'peft'), { recursive: true });
    writeFileSync(join(out, 'predictions.txt'), 'EU B-ORG B-ORG\n'.repeat(1000));
    writeFileSync(join(out, 'peft', 'adapter_model.safetensors'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(out, 'checkpoint.safetensors'), 'weights that stay on the worker');
    return out;
  }

  it('carries the artifacts byte for byte with metrics, steps and log, and leaves other files behind', () => {
    const out = outputWithFiles();
    const payload = packCell({
      hash: 'abc',
      outputDir: out,
      result: {
        metrics: { 'dev.f1': 0.5 },
        artifacts: [
          { name: 'predictions', path: join(out, 'predictions.txt') },
          { name: 'peft.adapter_model', path: join(out, 'peft', 'adapter_model.safetensors') },
        ],
      },
      steps: [{ step: 1, name: 'train.loss', value: 2 }],
      log: 'line 1\nline 2\n',
      worker: 'host 1',
    });
    assert.ok(JSON.stringify(payload).length < 15_000, 'compressed');
    const target = join(dir, 'back');
    const result = unpackCell(JSON.parse(JSON.stringify(payload)) as CellPayload, target);
    assert.deepEqual(result, {
      metrics: { 'dev.f1': 0.5 },
      artifacts: [
        { name: 'predictions', path: join(target, 'predictions.txt') },
        { name: 'peft.adapter_model', path: join(target, 'peft', 'adapter_model.safetensors') },
      ],
    });
    assert.equal(existsSync(join(target, 'checkpoint.safetensors')), false, 'a checkpoint is not an artifact');
    assert.equal(
      readFileSync(join(target, 'predictions.txt'), 'utf8'),
      readFileSync(join(out, 'predictions.txt'), 'utf8'),
    );
    assert.deepEqual(readFileSync(join(target, 'peft', 'adapter_model.safetensors')), Buffer.from([0, 1, 2, 255]));
    assert.equal(payloadLog(payload), 'line 1\nline 2\n');
  });

  it('refuses a payload over the limit with QUEUE_RESULT_TOO_LARGE naming size and limit', () => {
    const out = join(dir, 'big');
    mkdirSync(out);
    writeFileSync(join(out, 'noise.bin'), randomBytes(200_000));
    const input = {
      hash: 'big',
      outputDir: out,
      result: { metrics: {}, artifacts: [{ name: 'noise', path: join(out, 'noise.bin') }] },
      steps: [],
      log: '',
      worker: 'w',
    };
    assert.throws(
      () => packCell(input, 10_000),
      (e: Error & { code?: string }) =>
        e.code === 'QUEUE_RESULT_TOO_LARGE' && /over the queue limit of 0\.0 MiB/.test(e.message),
    );
  });

  it('refuses a payload naming a file outside the output folder', () => {
    const payload: CellPayload = {
      hash: 'x',
      metrics: {},
      artifacts: [],
      files: [{ path: '../escape.txt', gzip: '' }],
      steps: [],
      log: '',
      worker: 'w',
    };
    assert.throws(() => unpackCell(payload, join(dir, 'in')), /outside its output folder/);
  });
});
