import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DecoderModel, type TensorToWrite, writeSafetensors } from '@lookright/engine';
import type { SeededRng } from '../rng.js';

/** `n` draws from N(0, std²) by Box-Muller on the seeded stream. */
function normal(rng: SeededRng, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next())) * std;
    const theta = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** HF initialisation: linear and embedding weights ~ N(0, 0.02²), norm scales 1, biases 0. */
export function initialWeights(shapes: ReadonlyMap<string, number[]>, rng: SeededRng): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = /norm\.weight$/i.test(name)
      ? new Float32Array(size).fill(1)
      : name.endsWith('bias')
        ? new Float32Array(size)
        : normal(rng, size, 0.02);
    out.set(name, { shape, data });
  }
  return out;
}

/**
 * Writes an HF checkpoint folder: config.json, model.safetensors (float32, HF names and layouts) and tokenizer.json.
 * Transformers' from_pretrained reads this layout.
 */
export function writeCheckpointFolder(
  dir: string,
  config: Record<string, unknown>,
  tensors: ReadonlyMap<string, TensorToWrite>,
  tokenizer: Record<string, unknown>,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeSafetensors(join(dir, 'model.safetensors'), tensors, { format: 'pt' });
}

/**
 * The weights of a (trained) decoder under HF names: `model.` prefix, linear weights back to [out, in] (the engine
 * holds them as [in, out]). A tied model writes no lm_head.
 */
export function decoderTensors(model: DecoderModel): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, tensor] of model.namedParameters()) {
    const linear = name.endsWith('_proj.weight') || name === 'lm_head.weight';
    const [rows, cols] = tensor.shape;
    const values = tensor.dataSync() as Float32Array;
    let data = Float32Array.from(values);
    let shape = [...tensor.shape];
    if (linear) {
      data = new Float32Array(values.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = values[r * cols + c];
      shape = [cols, rows];
    }
    out.set(name === 'lm_head.weight' ? name : `model.${name}`, { shape, data });
  }
  return out;
}
