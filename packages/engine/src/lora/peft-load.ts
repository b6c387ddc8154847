import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { type LoraModel, type LoraModule, loraModules, wrapperNames } from './lora-modules.js';
import { type PeftLoraConfig, patternValue, readPeftConfig, targetsModule } from './peft-config.js';

/** What an adapter folder held besides the LoRA pairs. */
export interface LoadedPeftAdapter {
  config: PeftLoraConfig;
  /**
   * The wrapping class's prefix when the keys carry it (`model.` for *ForCausalLM / *ForTokenClassification,
   * `bert.` / `roberta.` for Bert/RobertaFor*), '' for the bare model.
   */
  modulePrefix: string;
  /** Whole modules saved with the adapter (a token-classification head: `score.*` / `classifier.*`), by name. */
  savedModules: Map<string, LoadedTensor>;
  /** Number of projections that received an adapter. */
  adaptedModules: number;
}

const PEFT_PREFIX = 'base_model.model.';

/**
 * Loads a PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) onto the model's projections,
 * unmerged. Keys are resolved against the model with or without the wrapping class's prefix (`model.` for
 * decoders, `bert.` / `roberta.` for encoders). Unlike
 * PEFT, every mismatch is an error: a missing lora_A / lora_B, a key that targets nothing (including keys carrying
 * an adapter name such as `.default.`), or a shape that disagrees with r.
 */
export function applyPeftAdapter(model: LoraModel, dir: string): LoadedPeftAdapter {
  const config = readPeftConfig(dir);
  const file = join(dir, 'adapter_model.safetensors');
  if (!existsSync(file)) {
    const bin = existsSync(join(dir, 'adapter_model.bin'))
      ? ' (adapter_model.bin, a torch pickle, is not supported)'
      : '';
    throw modelErrors.adapterInvalid(file, `file not found${bin}`);
  }
  const tensors = readSafetensors(file);
  const stripped = new Map<string, LoadedTensor>();
  for (const [key, t] of tensors) stripped.set(key.startsWith(PEFT_PREFIX) ? key.slice(PEFT_PREFIX.length) : key, t);
  const modules = loraModules(model);
  const wrapper = wrapperNames(model);
  const layerRoot = modules[0].name.slice(0, modules[0].name.indexOf('.0.') + 1);
  const modulePrefix = [...stripped.keys()].some((k) => k.startsWith(wrapper.prefix + layerRoot)) ? wrapper.prefix : '';

  const expected = new Map<string, LoraModule>();
  for (const m of modules) {
    if (config.layersToTransform && !config.layersToTransform.includes(m.layer)) continue;
    const moduleName = modulePrefix + m.name;
    if (targetsModule(config.targetModules, moduleName)) expected.set(moduleName, m);
  }
  if (expected.size === 0) {
    throw modelErrors.adapterInvalid(
      join(dir, 'adapter_config.json'),
      `target_modules ${JSON.stringify(config.targetModules)} match no projection of the model`,
    );
  }
  const savedModules = new Map<string, LoadedTensor>();
  const used = new Set<string>();
  const missing: string[] = [];
  for (const moduleName of expected.keys()) {
    for (const part of ['lora_A', 'lora_B']) {
      const key = `${moduleName}.${part}.weight`;
      if (stripped.has(key)) used.add(key);
      else missing.push(PEFT_PREFIX + key);
    }
  }
  for (const name of config.modulesToSave ?? [])
    for (const k of stripped.keys()) if (k.startsWith(`${name}.`)) used.add(k);
  for (const k of stripped.keys()) if (/^(score|classifier)\.(weight|bias)$/.test(k)) used.add(k);
  const unexpected = [...stripped.keys()]
    .filter((k) => !used.has(k))
    .map((k) => (tensors.has(PEFT_PREFIX + k) ? PEFT_PREFIX + k : k));
  if (missing.length || unexpected.length) throw modelErrors.adapterTensorNames(file, missing, unexpected);

  for (const [moduleName, { linear: p }] of expected) {
    const [inFeatures, outFeatures] = p.kernel.shape;
    const r = patternValue(config.rankPattern, moduleName, config.r);
    const alpha = patternValue(config.alphaPattern, moduleName, config.loraAlpha);
    const a = stripped.get(`${moduleName}.lora_A.weight`)!;
    const b = stripped.get(`${moduleName}.lora_B.weight`)!;
    const shapeOk = (t: LoadedTensor, want: number[]) =>
      t.shape.length === 2 && t.shape[0] === want[0] && t.shape[1] === want[1];
    if (!shapeOk(a, [r, inFeatures]) || !shapeOk(b, [outFeatures, r])) {
      throw modelErrors.adapterInvalid(
        file,
        `${moduleName}: lora_A [${a.shape}] / lora_B [${b.shape}] do not fit r = ${r} on a [${outFeatures}, ${inFeatures}] projection (expected [${r}, ${inFeatures}] and [${outFeatures}, ${r}])`,
      );
    }
    p.lora?.a.dispose();
    p.lora?.b.dispose();
    p.lora = {
      a: tf.tidy(() => tf.transpose(tf.tensor2d(a.data as Float32Array, [r, inFeatures]))),
      b: tf.tidy(() => tf.transpose(tf.tensor2d(b.data as Float32Array, [outFeatures, r]))),
      scaling: alpha / r,
      dropout: config.loraDropout,
    };
  }
  for (const [k, t] of stripped) if (!k.includes('.lora_')) savedModules.set(k, t);
  return { config, modulePrefix, savedModules, adaptedModules: expected.size };
}
