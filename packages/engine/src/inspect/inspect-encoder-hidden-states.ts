import * as tf from '@tensorflow/tfjs-core';
import { logBackend } from '../backend/backend-description.js';
import { selectBackend } from '../backend/select-backend.js';
import { loadEncoder } from '../encoder/load-encoder.js';
import { modelErrors } from '../errors.js';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { type TensorToWrite, writeSafetensors } from '../io/safetensors-write.js';
import { applyPeftAdapter } from '../lora/peft-load.js';
import type { InspectHiddenStatesOptions, InspectHiddenStatesResult } from './inspect-hidden-states.js';

function intInput(file: string, tensors: Map<string, LoadedTensor>, name: string, shape?: number[]): LoadedTensor {
  const t = tensors.get(name);
  if (!t) throw modelErrors.inputsInvalid(file, `tensor ${name} is missing (found: ${[...tensors.keys()].join(', ')})`);
  if (t.dtype !== 'int32' || t.shape.length !== 2 || (shape && t.shape.some((d, i) => d !== shape[i]))) {
    const want = shape ? `[${shape}]` : '[batch, seq]';
    throw modelErrors.inputsInvalid(
      file,
      `tensor ${name} is ${t.storedDtype} [${t.shape}], expected I32 or I64 ${want}`,
    );
  }
  return t;
}

const int2d = (t: LoadedTensor) => tf.tensor2d(t.data as Int32Array, t.shape as [number, number], 'int32');

/**
 * The encoder counterpart of inspectHiddenStates: runs a BERT / RoBERTa checkpoint (plus a PEFT adapter) on
 * input_ids / attention_mask (and token_type_ids when the inputs file has them) and writes float32
 * `last_hidden_state`, `hidden_states.<k>` (k = 0 embedding output, k = i + 1 output of layer i, as HF's
 * output_hidden_states) and `pooler_output` when the checkpoint has a pooler. Masks, when asked for, must all be
 * bidirectional (an encoder has no other attention).
 */
export async function inspectEncoderHiddenStates(
  options: InspectHiddenStatesOptions,
): Promise<InspectHiddenStatesResult> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend(options.backend ?? 'auto');
  logBackend(backend, log);
  const inputs = readSafetensors(options.inputs);
  const idsIn = intInput(options.inputs, inputs, 'input_ids');
  const maskIn = intInput(options.inputs, inputs, 'attention_mask', idsIn.shape);
  const typesIn = inputs.has('token_type_ids')
    ? intInput(options.inputs, inputs, 'token_type_ids', idsIn.shape)
    : undefined;
  const { model } = await loadEncoder(options.model, { backend: backend.name, env: options.env, onNotice: log });
  try {
    if (options.adapter) applyPeftAdapter(model, options.adapter);
    const specs = options.resolveSpecs
      ? await options.resolveSpecs(model.numLayers)
      : Array.from({ length: model.numLayers }, () => ({ kind: 'bidirectional' as const }));
    const ids = int2d(idsIn);
    const mask = int2d(maskIn);
    const types = typesIn ? int2d(typesIn) : undefined;
    const tensors = new Map<string, TensorToWrite>();
    try {
      const out = model.forward(ids, mask, specs, {
        outputLayers: true,
        outputPooler: model.hasPooler,
        tokenTypeIds: types,
      });
      const put = async (name: string, t: tf.Tensor) =>
        tensors.set(name, { shape: t.shape, data: (await t.data()) as Float32Array });
      await put('last_hidden_state', out.lastHiddenState);
      if (out.embeddings) await put('hidden_states.0', out.embeddings);
      for (const [i, t] of out.layerOutputs.entries()) await put(`hidden_states.${i + 1}`, t);
      if (out.pooledOutput) await put('pooler_output', out.pooledOutput);
      tf.dispose([out.lastHiddenState, ...out.layerOutputs, ...(out.embeddings ? [out.embeddings] : [])]);
      if (out.pooledOutput) out.pooledOutput.dispose();
    } finally {
      tf.dispose([ids, mask, ...(types ? [types] : [])]);
    }
    writeSafetensors(options.out, tensors);
    return { backend, specs, written: [...tensors.keys()] };
  } finally {
    model.dispose();
  }
}
