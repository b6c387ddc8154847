import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckpointContents, readCheckpoint, writeCheckpoint } from './checkpoint-file.js';

const contents: CheckpointContents = {
  state: {
    step: 12,
    epoch: 1,
    batchInEpoch: 3,
    dropoutRng: 123456789,
    bestDevF1: 0.5,
    bestEpoch: 0,
    epochsWithoutImprovement: 0,
    devHistory: [0.5],
    configHash: 'abc',
  },
  tensors: new Map([
    ['head.0', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ['adam.m.0', { shape: [2], data: Float32Array.from([0.25, -0.5]) }],
  ]),
};

describe('training checkpoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-ckpt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips state and tensors and leaves no temporary file', () => {
    const file = join(dir, 'last.safetensors');
    writeCheckpoint(file, contents);
    const back = readCheckpoint(file);
    assert.deepEqual(back.state, contents.state);
    assert.deepEqual([...back.tensors.keys()].sort(), ['adam.m.0', 'head.0']);
    assert.deepEqual(Array.from(back.tensors.get('head.0')?.data ?? []), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(readdirSync(dir), ['last.safetensors']);
  });

  it('refuses a flipped byte in the tensor data, naming the file and the checksum', () => {
    const file = join(dir, 'last.safetensors');
    writeCheckpoint(file, contents);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x40;
    writeFileSync(file, bytes);
    assert.throws(
      () => readCheckpoint(file),
      (e: Error & { code?: string }) =>
        e.code === 'TRAIN_CHECKPOINT_CORRUPT' && e.message.includes(file) && /sha256/.test(e.message),
    );
  });

  it('refuses a truncated file and an edited state', () => {
    const file = join(dir, 'last.safetensors');
    writeCheckpoint(file, contents);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    assert.throws(() => readCheckpoint(file), /TRAIN_CHECKPOINT_CORRUPT|is refused/);
    const edited = Buffer.from(bytes.toString('latin1').replace('"step\\":12', '"step\\":13'), 'latin1');
    assert.notDeepEqual(edited, bytes, 'the edit must change the file');
    writeFileSync(file, edited);
    assert.throws(() => readCheckpoint(file), /sha256/);
  });
});
