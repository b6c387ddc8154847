import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { type TensorToWrite, writeSafetensors } from '../io/safetensors-write.js';
import { isEncoderModel, type LoraModel, loraModules, wrapperNames } from './lora-modules.js';
import { PEFT_V071_FIELDS } from './peft-config.js';

/**
 * The Python class a researcher will wrap with PeftModel.from_pretrained; it fixes the key prefix and task_type:
 * - `causal-lm`: *ForCausalLM, keys `base_model.model.model.layers...`, task_type CAUSAL_LM;
 * - `bare`: LlamaModel / MistralModel, keys `base_model.model.layers...`, task_type FEATURE_EXTRACTION;
 * - `token-classification`: *ForTokenClassification (transformers >= 4.42), `model.` keys plus the head as
 *   `base_model.model.score.weight` / `.bias`, task_type TOKEN_CLS, modules_to_save ["score"].
 * Encoders (BertModel / RobertaModel): `bare` keys `base_model.model.encoder.layer...`; `token-classification`
 * (Bert/RobertaForTokenClassification) `bert.` / `roberta.` keys plus the head as `classifier`; no `causal-lm`.
 */
export type PeftWrappedClass = 'causal-lm' | 'bare' | 'token-classification';

export interface SavePeftOptions {
  wrappedClass: PeftWrappedClass;
  /** Written to base_model_name_or_path (the checkpoint folder or repo id the adapter belongs to). */
  baseModelNameOrPath: string | null;
  /** The token-classification head in HF layout: weight [numLabels, hidden], bias [numLabels]. */
  head?: { weight: tf.Tensor2D; bias?: tf.Tensor1D };
}

const TASK_TYPE: Record<PeftWrappedClass, string> = {
  'causal-lm': 'CAUSAL_LM',
  bare: 'FEATURE_EXTRACTION',
  'token-classification': 'TOKEN_CLS',
};

/** A copy of `t` that outlives the surrounding tf.tidy, read back to the host once every tensor is collected. */
function deviceCopy(t: tf.Tensor): tf.Tensor {
  return tf.keep(tf.clone(t));
}

/**
 * Writes the model's LoRA adapters as PEFT v0.7.1 does: adapter_config.json with exactly its 21 fields (sorted,
 * indent 2) and adapter_model.safetensors (F32, `{"format": "pt"}`) with lora_A [r, in] / lora_B [out, r] for
 * every adapted projection, nothing else (plus the head for token classification). All adapters must share r,
 * alpha and dropout, and every layer must adapt the same projections.
 */
export async function savePeftAdapter(model: LoraModel, dir: string, options: SavePeftOptions): Promise<void> {
  const tensors = new Map<string, tf.Tensor>();
  try {
    const { where, config } = collectAdapter(model, dir, options, tensors);
    const host = new Map<string, TensorToWrite>();
    for (const [name, t] of tensors) host.set(name, { shape: t.shape, data: Float32Array.from(await t.data()) });
    mkdirSync(dir, { recursive: true });
    writeSafetensors(join(dir, 'adapter_model.safetensors'), host);
    writeFileSync(where, `${JSON.stringify(config, null, 2)}\n`);
  } finally {
    tf.dispose([...tensors.values()]);
  }
}

/** Checks the adapters, puts device copies of their tensors into `tensors`, and returns adapter_config.json. */
function collectAdapter(
  model: LoraModel,
  dir: string,
  options: SavePeftOptions,
  tensors: Map<string, tf.Tensor>,
): { where: string; config: Record<string, unknown> } {
  const where = join(dir, 'adapter_config.json');
  if (isEncoderModel(model) && options.wrappedClass === 'causal-lm') {
    throw modelErrors.adapterInvalid(
      where,
      'an encoder adapter is saved as "bare" or "token-classification", not "causal-lm"',
    );
  }
  const wrapper = wrapperNames(model);
  const targets = new Set<string>();
  let layer0Targets = new Set<string>();
  let shared: { r: number; alpha: number; dropout: number } | undefined;
  const modulePrefix = options.wrappedClass === 'bare' ? '' : wrapper.prefix;
  const modules = loraModules(model);
  for (let i = 0; i < model.numLayers; i++) {
    const here = modules.filter((m) => m.layer === i && m.linear.lora);
    const names = new Set(here.map((m) => m.name.slice(m.name.indexOf(`.${i}.`) + `.${i}.`.length)));
    if (i === 0) layer0Targets = names;
    else if (names.size !== layer0Targets.size || [...names].some((n) => !layer0Targets.has(n))) {
      throw modelErrors.adapterInvalid(
        where,
        `layer ${i} adapts ${[...names].join(', ') || 'nothing'}, layer 0 adapts ${[...layer0Targets].join(', ')}; PEFT needs one target set`,
      );
    }
    for (const m of here) {
      targets.add(m.target);
      const lora = m.linear.lora!;
      const r = lora.a.shape[1];
      const settings = { r, alpha: lora.scaling * r, dropout: lora.dropout };
      shared ??= settings;
      if (
        settings.r !== shared.r ||
        Math.abs(settings.alpha - shared.alpha) > 1e-9 ||
        settings.dropout !== shared.dropout
      ) {
        throw modelErrors.adapterInvalid(
          where,
          `layer ${i} ${m.target} has r/alpha/dropout ${JSON.stringify(settings)}, others ${JSON.stringify(shared)}`,
        );
      }
      const key = `base_model.model.${modulePrefix}${m.name}`;
      tf.tidy(() => {
        tensors.set(`${key}.lora_A.weight`, deviceCopy(tf.transpose(lora.a)));
        tensors.set(`${key}.lora_B.weight`, deviceCopy(tf.transpose(lora.b)));
      });
    }
  }
  const dense = modules.filter((m) => m.target === 'dense');
  if (targets.has('dense') && dense.some((m) => !m.linear.lora)) {
    throw modelErrors.adapterInvalid(
      where,
      'PEFT target_modules "dense" would adapt all three dense modules of each encoder layer; adapt all or none of them',
    );
  }
  if (!shared) throw modelErrors.adapterInvalid(where, 'the model has no LoRA adapters to save');
  if (options.wrappedClass === 'token-classification') {
    if (!options.head) {
      throw modelErrors.adapterInvalid(where, `a token-classification adapter needs its head (${wrapper.head})`);
    }
    tensors.set(`base_model.model.${wrapper.head}.weight`, deviceCopy(options.head.weight));
    if (options.head.bias) tensors.set(`base_model.model.${wrapper.head}.bias`, deviceCopy(options.head.bias));
  } else if (options.head) {
    throw modelErrors.adapterInvalid(
      where,
      `a head can only be saved with wrappedClass "token-classification", not "${options.wrappedClass}"`,
    );
  }
  const alpha = Number.isInteger(shared.alpha) ? shared.alpha : Number(shared.alpha.toPrecision(12));
  const values: Record<(typeof PEFT_V071_FIELDS)[number], unknown> = {
    alpha_pattern: {},
    auto_mapping: null,
    base_model_name_or_path: options.baseModelNameOrPath,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: alpha,
    lora_dropout: shared.dropout,
    megatron_config: null,
    megatron_core: 'megatron.core',
    modules_to_save: options.wrappedClass === 'token-classification' ? [wrapper.head] : null,
    peft_type: 'LORA',
    r: shared.r,
    rank_pattern: {},
    revision: null,
    target_modules: [...new Set(modules.map((m) => m.target))].filter((t) => targets.has(t)),
    task_type: TASK_TYPE[options.wrappedClass],
  };
  return { where, config: Object.fromEntries(PEFT_V071_FIELDS.map((k) => [k, values[k]])) };
}
