import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelErrors } from '../errors.js';

/** The adapter_config.json fields lookright reads (PEFT v0.7.1 names). */
export interface PeftLoraConfig {
  r: number;
  loraAlpha: number;
  loraDropout: number;
  /** A list of module-name suffixes, or a regex string matched against the full module name. */
  targetModules: string[] | string;
  rankPattern: Record<string, number>;
  alphaPattern: Record<string, number>;
  layersToTransform: number[] | null;
  taskType: string | null;
  modulesToSave: string[] | null;
}

/**
 * The exact field set PEFT v0.7.1 writes (and reads: v0.7.1 to 0.13 refuse any other field). A writer that wants
 * every PEFT from 0.7 on to load its adapters writes these and nothing else.
 */
export const PEFT_V071_FIELDS = [
  'alpha_pattern',
  'auto_mapping',
  'base_model_name_or_path',
  'bias',
  'fan_in_fan_out',
  'inference_mode',
  'init_lora_weights',
  'layers_pattern',
  'layers_to_transform',
  'loftq_config',
  'lora_alpha',
  'lora_dropout',
  'megatron_config',
  'megatron_core',
  'modules_to_save',
  'peft_type',
  'r',
  'rank_pattern',
  'revision',
  'target_modules',
  'task_type',
] as const;

type Json = Record<string, unknown>;

function numberMap(file: string, key: string, v: unknown): Record<string, number> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as Json).some((x) => typeof x !== 'number')) {
    throw modelErrors.adapterInvalid(file, `${key} must be an object of numbers`);
  }
  return v as Record<string, number>;
}

/** Reads and checks adapter_config.json the way PEFT's LoraConfig(**json) would, but loudly. */
export function readPeftConfig(dir: string): PeftLoraConfig {
  const file = join(dir, 'adapter_config.json');
  if (!existsSync(file)) throw modelErrors.adapterInvalid(file, 'file not found');
  let cfg: Json;
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw modelErrors.adapterInvalid(file, `not valid JSON: ${(error as Error).message}`);
  }
  if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg))
    throw modelErrors.adapterInvalid(file, 'not a JSON object');
  if (cfg.peft_type !== 'LORA') {
    throw modelErrors.adapterInvalid(
      file,
      `peft_type is ${JSON.stringify(cfg.peft_type)}; only "LORA" adapters are supported`,
    );
  }
  const r = cfg.r ?? 8;
  if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0)
    throw modelErrors.adapterInvalid(file, `r = ${JSON.stringify(r)} is not a positive integer`);
  const alpha = cfg.lora_alpha ?? 8;
  if (typeof alpha !== 'number' || !(alpha > 0))
    throw modelErrors.adapterInvalid(file, `lora_alpha = ${JSON.stringify(alpha)} is not a positive number`);
  const dropout = cfg.lora_dropout ?? 0;
  if (typeof dropout !== 'number') throw modelErrors.adapterInvalid(file, 'lora_dropout is not a number');
  if ((cfg.bias ?? 'none') !== 'none')
    throw modelErrors.adapterInvalid(file, `bias = ${JSON.stringify(cfg.bias)}; only "none" is supported`);
  if (cfg.use_dora === true) throw modelErrors.adapterInvalid(file, 'use_dora = true (DoRA) is not supported');
  let target = cfg.target_modules ?? ['q_proj', 'v_proj'];
  if (typeof target !== 'string' && !(Array.isArray(target) && target.every((t) => typeof t === 'string'))) {
    throw modelErrors.adapterInvalid(file, 'target_modules must be a list of module names or a regex string');
  }
  target = typeof target === 'string' ? target : [...(target as string[])];
  const layers = cfg.layers_to_transform ?? null;
  const layersToTransform = layers === null ? null : Array.isArray(layers) ? (layers as number[]) : [layers as number];
  const modules = cfg.modules_to_save ?? null;
  return {
    r,
    loraAlpha: alpha,
    loraDropout: dropout,
    targetModules: target as string[] | string,
    rankPattern: numberMap(file, 'rank_pattern', cfg.rank_pattern),
    alphaPattern: numberMap(file, 'alpha_pattern', cfg.alpha_pattern),
    layersToTransform,
    taskType: typeof cfg.task_type === 'string' ? cfg.task_type : null,
    modulesToSave: Array.isArray(modules) ? (modules as string[]) : null,
  };
}

/** Whether PEFT would put LoRA on the module with this full name (list: equal or `.`-suffix; string: fullmatch). */
export function targetsModule(target: string[] | string, moduleName: string): boolean {
  if (typeof target === 'string') return new RegExp(`^(?:${target})$`).test(moduleName);
  return target.some((t) => moduleName === t || moduleName.endsWith(`.${t}`));
}

/** rank_pattern / alpha_pattern lookup: the first key with `re.match(f".*\.{key}$", name)`. */
export function patternValue(pattern: Record<string, number>, moduleName: string, fallback: number): number {
  for (const [key, value] of Object.entries(pattern)) if (new RegExp(`^.*\\.${key}$`).test(moduleName)) return value;
  return fallback;
}
