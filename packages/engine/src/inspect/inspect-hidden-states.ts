import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendDescription, type BackendName, logBackend } from '../backend/backend-description.js';
import { selectBackend } from '../backend/select-backend.js';
import { loadDecoder } from '../decoder/load-decoder.js';
import { modelErrors } from '../errors.js';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { type TensorToWrite, writeSafetensors } from '../io/safetensors-write.js';
import { applyPeftAdapter } from '../lora/peft-load.js';

/** What `lookright inspect hidden-states` needs. */
export interface InspectHiddenStatesOptions {
  /** Checkpoint folder or hub repo id. */
  model: string;
  /** safetensors file with input_ids and attention_mask ([B, S], I32 or I64); other tensors are ignored. */
  inputs: string;
  /** Output safetensors file: float32 last_hidden_state [B, S, H] and layer_out.<i>. */
  out: string;
  /** Per-layer mask specs for a model with `numLayers` layers; all causal when absent. */
  resolveSpecs?: (numLayers: number) => Promise<LayerMaskSpec[]> | LayerMaskSpec[];
  /** A PEFT LoRA adapter folder applied on top of the weights. */
  adapter?: string;
  backend?: BackendName;
  /** Input rows per forward pass (default 8). */
  rowsPerChunk?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** What was computed, for the command's report. */
export interface InspectHiddenStatesResult {
  backend: BackendDescription;
  specs: LayerMaskSpec[];
  written: string[];
}

function intInput(file: string, tensors: Map<string, LoadedTensor>, name: string): LoadedTensor {
  const t = tensors.get(name);
  if (!t) throw modelErrors.inputsInvalid(file, `tensor ${name} is missing (found: ${[...tensors.keys()].join(', ')})`);
  if (t.dtype !== 'int32' || t.shape.length !== 2) {
    throw modelErrors.inputsInvalid(
      file,
      `tensor ${name} is ${t.storedDtype} [${t.shape}], expected I32 or I64 [batch, seq]`,
    );
  }
  return t;
}

/**
 * Runs the decoder on the inputs with the given per-layer masks (and adapter) and writes every layer's output.
 * Layer outputs are taken before the final norm; last_hidden_state after it (HF's convention).
 */
export async function inspectHiddenStates(options: InspectHiddenStatesOptions): Promise<InspectHiddenStatesResult> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend(options.backend ?? 'auto');
  logBackend(backend, log);
  const inputs = readSafetensors(options.inputs);
  const idsIn = intInput(options.inputs, inputs, 'input_ids');
  const maskIn = intInput(options.inputs, inputs, 'attention_mask');
  if (idsIn.shape.some((d, i) => d !== maskIn.shape[i])) {
    throw modelErrors.inputsInvalid(
      options.inputs,
      `input_ids [${idsIn.shape}] and attention_mask [${maskIn.shape}] differ in shape`,
    );
  }
  const { model } = await loadDecoder(options.model, { backend: backend.name, env: options.env, onNotice: log });
  try {
    if (options.adapter) {
      applyPeftAdapter(model, options.adapter);
    }
    const specs = options.resolveSpecs ? await options.resolveSpecs(model.numLayers) : [];
    if (!options.resolveSpecs) for (let i = 0; i < model.numLayers; i++) specs.push({ kind: 'causal' });
    const [batch, seqLen] = idsIn.shape;
    const hidden = model.config.hiddenSize;
    const names = ['last_hidden_state', ...specs.map((_, i) => `layer_out.${i}`)];
    const tensors = new Map<string, TensorToWrite>(
      names.map((n) => [n, { shape: [batch, seqLen, hidden], data: new Float32Array(batch * seqLen * hidden) }]),
    );
    // rows are independent: run them in chunks so a large input file does not hold every activation at once
    const rowsPerChunk = Math.max(1, options.rowsPerChunk ?? 8);
    for (let start = 0; start < batch; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, batch - start);
      const slice = (t: LoadedTensor) => (t.data as Int32Array).subarray(start * seqLen, (start + rows) * seqLen);
      const ids = tf.tensor2d(slice(idsIn), [rows, seqLen], 'int32');
      const mask = tf.tensor2d(slice(maskIn), [rows, seqLen], 'int32');
      try {
        const out = model.forward(ids, mask, specs, { outputLayers: true });
        for (const [k, t] of [out.lastHiddenState, ...out.layerOutputs].entries())
          (tensors.get(names[k])!.data as Float32Array).set(await t.data(), start * seqLen * hidden);
        tf.dispose([out.lastHiddenState, ...out.layerOutputs, ...(out.embeddings ? [out.embeddings] : [])]);
      } finally {
        tf.dispose([ids, mask]);
      }
    }
    writeSafetensors(options.out, tensors);
    return { backend, specs, written: [...tensors.keys()] };
  } finally {
    model.dispose();
  }
}
