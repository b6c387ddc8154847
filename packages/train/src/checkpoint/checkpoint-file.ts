import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { decodeSafetensors, writeSafetensors } from '@lookright/engine';
import { trainErrors } from '../errors.js';

/** Resumable training state besides tensors: counters, RNG states, selection history. */
export interface CheckpointState {
  /** Optimiser steps done. */
  step: number;
  /** Epoch the next batch belongs to (0-based) and the index of that batch in the epoch. */
  epoch: number;
  batchInEpoch: number;
  /** Dropout stream state (the shuffle order is derived from seed and epoch). */
  dropoutRng: number;
  /** Best dev F1 so far and the epoch it came from (-1 before any evaluation); epochs since it improved. */
  bestDevF1: number;
  bestEpoch: number;
  epochsWithoutImprovement: number;
  /** Dev F1 per finished epoch. */
  devHistory: number[];
  /** Content hash of the cell's configuration: a checkpoint of another configuration is refused. */
  configHash: string;
}

/** What a checkpoint holds: named float tensors (adapter, head, optimiser moments, best weights) and the state. */
export interface CheckpointContents {
  state: CheckpointState;
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

const FORMAT = 'lookright-train-checkpoint/1';

/** sha256 over the state JSON and every tensor's bytes in name order. */
function checksum(stateJson: string, tensors: CheckpointContents['tensors']): string {
  const hash = createHash('sha256').update(FORMAT).update(stateJson);
  for (const name of [...tensors.keys()].sort()) {
    const { shape, data } = tensors.get(name) as { shape: number[]; data: Float32Array };
    hash.update(`${name}:${shape.join('x')}`);
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return hash.digest('hex');
}

/**
 * Writes a checkpoint as one safetensors file, atomically (temporary file in the same folder, then rename); its
 * metadata holds the state and a sha256 over state and tensors, so any corruption is detected on load.
 */
export function writeCheckpoint(file: string, contents: CheckpointContents): void {
  const stateJson = JSON.stringify(contents.state);
  writeSafetensors(file, contents.tensors, {
    format: FORMAT,
    state: stateJson,
    sha256: checksum(stateJson, contents.tensors),
  });
}

/** Reads a checkpoint and verifies its checksum; anything unexpected is refused with TRAIN_CHECKPOINT_CORRUPT. */
export function readCheckpoint(file: string): CheckpointContents {
  if (!existsSync(file)) throw trainErrors.checkpointCorrupt(file, 'the file does not exist');
  let decoded: ReturnType<typeof decodeSafetensors>;
  try {
    decoded = decodeSafetensors(new Uint8Array(readFileSync(file)), file);
  } catch (error) {
    throw trainErrors.checkpointCorrupt(file, `not a readable safetensors file (${(error as Error).message})`);
  }
  const meta = decoded.metadata ?? {};
  if (meta.format !== FORMAT || typeof meta.state !== 'string' || typeof meta.sha256 !== 'string')
    throw trainErrors.checkpointCorrupt(file, `metadata lacks the ${FORMAT} format, state or sha256`);
  const tensors: CheckpointContents['tensors'] = new Map();
  for (const [name, t] of decoded) {
    if (!(t.data instanceof Float32Array)) throw trainErrors.checkpointCorrupt(file, `tensor ${name} is not float32`);
    tensors.set(name, { shape: t.shape, data: t.data });
  }
  if (checksum(meta.state, tensors) !== meta.sha256)
    throw trainErrors.checkpointCorrupt(
      file,
      'the sha256 of its contents does not match the one recorded when it was written',
    );
  let state: CheckpointState;
  try {
    state = JSON.parse(meta.state) as CheckpointState;
  } catch {
    throw trainErrors.checkpointCorrupt(file, 'its state is not JSON');
  }
  return { state, tensors };
}
