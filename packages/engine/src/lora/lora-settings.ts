import { type ProjectionName, projectionNames } from '../decoder/decoder-params.js';
import { modelErrors } from '../errors.js';

/** LoRA hyper-parameters (PEFT's LoraConfig subset lookright trains with). */
export interface LoraSettings {
  r: number;
  alpha: number;
  dropout: number;
  /**
   * Modules that get an adapter, e.g. ['q_proj', 'v_proj'] (the paper's recipe). A decoder name also selects the
   * encoder module in its role (q_proj = query, v_proj = value); encoder names (query, key, value, dense) select
   * encoder modules only.
   */
  targetModules: LoraTarget[];
}

/** HF module names of BERT / RoBERTa linears, as PEFT's target_modules would name them. */
export const encoderLoraTargets = ['query', 'key', 'value', 'dense'] as const;
export type LoraTarget = ProjectionName | (typeof encoderLoraTargets)[number];

/** Checks LoRA settings; short names (`q`, `v`, `gate`) are accepted for the projections. */
export function loraSettings(raw: {
  r: number;
  alpha: number;
  dropout?: number;
  targetModules: readonly string[];
}): LoraSettings {
  if (!Number.isInteger(raw.r) || raw.r <= 0)
    throw modelErrors.loraConfigInvalid('r', String(raw.r), 'a positive integer');
  if (!(raw.alpha > 0)) throw modelErrors.loraConfigInvalid('alpha', String(raw.alpha), 'a positive number');
  const dropout = raw.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1))
    throw modelErrors.loraConfigInvalid('dropout', String(dropout), 'a rate in [0, 1)');
  if (raw.targetModules.length === 0) {
    throw modelErrors.loraConfigInvalid(
      'target_modules',
      '[]',
      `some of ${[...projectionNames, ...encoderLoraTargets].join(', ')}`,
    );
  }
  const targetModules = raw.targetModules.map((m): LoraTarget => {
    if ((encoderLoraTargets as readonly string[]).includes(m)) return m as LoraTarget;
    const full = (m.endsWith('_proj') ? m : `${m}_proj`) as ProjectionName;
    if (!projectionNames.includes(full)) {
      throw modelErrors.loraConfigInvalid(
        'target_modules',
        JSON.stringify(m),
        `one of ${projectionNames.join(', ')} (or q, k, v, o, gate, up, down), or for encoders ${encoderLoraTargets.join(', ')}`,
      );
    }
    return full;
  });
  return { r: raw.r, alpha: raw.alpha, dropout, targetModules: [...new Set(targetModules)] };
}
