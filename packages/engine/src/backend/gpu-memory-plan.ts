/**
 * The GPU memory a fine-tuning run will need, worked out from config.json before any weight is loaded: frozen base
 * weights, LoRA and head, gradients, optimiser state, activations at batch × length and the buffer pool, checked
 * against the adapter's buffer limits and (when known) its memory. The activation term is an estimate of what tfjs
 * keeps for the backward pass (the tensors each op saves), not a measurement.
 */
import { engineErrors } from '../errors.js';
import { estimateParameterCount } from './model-size.js';

/** Storage of the frozen projection kernels: `f32`, 16-bit (`f16`, `bf16`) or NF4 (see ops/packed-kernel.ts). */
export type WeightStorage = 'f32' | 'f16' | 'bf16' | 'nf4';

/** Bytes per frozen projection weight: NF4 is half a byte of code plus a 4-byte absmax per block of 64. */
export const WEIGHT_STORAGE_BYTES: Record<WeightStorage, number> = { f32: 4, f16: 2, bf16: 2, nf4: 0.5 + 4 / 64 };

/** What the plan is worked out from. */
export interface GpuPlanInput {
  /** config.json of the model (decoder or BERT-style encoder). */
  config: Record<string, unknown>;
  /** Names the config in errors. */
  file?: string;
  /** LoRA rank and targets (`q`, `v`, `gate`, ... or `q_proj`); null trains every weight. */
  lora: { r: number; targets: readonly string[]; dropout: number } | null;
  /** Labels of the token-classification head. */
  labels: number;
  batchSize: number;
  maxLength: number;
  gradientAccumulation: number;
  weightStorage: WeightStorage;
  /** Byte cap of the pool of freed buffers kept for reuse. */
  poolBytes: number;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  /** The device's memory, or null when unknown; `source` says where the number comes from. */
  deviceMemory: { bytes: number | null; source: string };
}

/** One line of the plan. */
export interface PlanRow {
  name: string;
  bytes: number;
  detail: string;
}

/** The plan: its rows, total, largest single buffers, and what does not fit (empty when it fits). */
export interface GpuMemoryPlan {
  rows: PlanRow[];
  totalBytes: number;
  /**
   * GPU memory while loading, plus the pool: a decoder with LoRA packs its frozen projections on the CPU as it loads
   * (loadDecoder's weightStorage), so they arrive as stored; an encoder, or full training, loads every weight in f32.
   */
  loadBytes: number;
  /** True when the frozen projections are packed while loading (decoder with LoRA), so loadBytes holds them packed. */
  packedAtLoad: boolean;
  /** The largest single tensors, each needing one GPU buffer. */
  buffers: PlanRow[];
  problems: string[];
  input: GpuPlanInput;
}

const F32 = 4;

/** Model sizes the plan needs, read from config.json (encoder: kv heads = heads, no gate). */
interface Sizes {
  encoder: boolean;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  inter: number;
  vocab: number;
}

function sizesOf(config: Record<string, unknown>): Sizes {
  const n = (key: string, fallback: number) => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  const encoder = ['bert', 'roberta', 'xlm-roberta', 'distilbert'].includes(String(config.model_type));
  const hidden = n('hidden_size', 0);
  const heads = n('num_attention_heads', 1);
  return {
    encoder,
    hidden,
    layers: n('num_hidden_layers', 0),
    heads,
    kvHeads: encoder ? heads : n('num_key_value_heads', heads),
    headDim: n('head_dim', hidden / heads),
    inter: n('intermediate_size', 0),
    vocab: n('vocab_size', 0),
  };
}

/** [in, out] of each projection of one layer, by short name (encoders have no gate). */
function projectionShapes(s: Sizes): Record<string, [number, number]> {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const shapes: Record<string, [number, number]> = {
    q: [s.hidden, q],
    k: [s.hidden, kv],
    v: [s.hidden, kv],
    o: [q, s.hidden],
    up: [s.hidden, s.inter],
    down: [s.inter, s.hidden],
  };
  if (!s.encoder) shapes.gate = [s.hidden, s.inter];
  return shapes;
}

/**
 * Elements one layer keeps for the backward pass at `tokens` = batch × length: its input and norm outputs, q, k, v
 * and their rotated copies, attention scores and probabilities, the attention context, the MLP's gate, up and
 * activation (encoder: intermediate and activation), and per LoRA target its dropped-out input and x·A.
 */
function layerActivationElements(s: Sizes, batch: number, length: number, lora: GpuPlanInput['lora']): number {
  const tokens = batch * length;
  const kv = s.kvHeads * s.headDim;
  const scores = 2 * batch * s.heads * length * length;
  const perToken = s.encoder ? 7 * s.hidden + 2 * s.inter : 6 * s.hidden + 3 * kv + 3 * s.inter;
  const shapes = projectionShapes(s);
  let loraPerToken = 0;
  for (const t of lora?.targets ?? []) {
    const shape = shapes[t.replace(/_proj$/, '')];
    if (shape) loraPerToken += lora!.r + (lora!.dropout > 0 ? shape[0] : 0);
  }
  return tokens * (perToken + loraPerToken) + scores;
}

/** Works the plan out; `problems` lists every buffer over a limit and a total over the device's memory. */
export function planGpuMemory(input: GpuPlanInput): GpuMemoryPlan {
  const s = sizesOf(input.config);
  const parameters = estimateParameterCount(input.config, input.file ?? 'config.json');
  const shapes = projectionShapes(s);
  const projElements = s.layers * Object.values(shapes).reduce((sum, [i, o]) => sum + i * o, 0);
  const weightBytes = WEIGHT_STORAGE_BYTES[input.weightStorage];
  const headParams = s.hidden * input.labels + input.labels;
  const lora = input.lora;
  let loraParams = 0;
  for (const t of lora?.targets ?? []) {
    const shape = shapes[t.replace(/_proj$/, '')];
    if (shape) loraParams += s.layers * lora!.r * (shape[0] + shape[1]);
  }
  const trainable = lora ? loraParams + headParams : parameters + headParams;
  const frozenBytes = lora ? projElements * weightBytes + (parameters - projElements) * F32 : 0;
  const tokens = input.batchSize * input.maxLength;
  const perLayer = layerActivationElements(s, input.batchSize, input.maxLength, lora);
  const activationElements = s.layers * perLayer + perLayer + tokens * (2 * s.hidden + 2 * input.labels);
  const gradientCopies = input.gradientAccumulation > 1 ? 2 : 1;
  const gib = (n: number) => `${(n / 1e9).toFixed(2)}B`;
  const rows: PlanRow[] = [
    {
      name: 'frozen base weights',
      bytes: frozenBytes,
      detail: lora
        ? `${gib(projElements)} projection weights in ${input.weightStorage}, ${gib(parameters - projElements)} others in f32`
        : 'none: every weight trains',
    },
    {
      name: lora ? 'LoRA and head (f32)' : 'weights and head (f32, trained)',
      bytes: trainable * F32,
      detail: lora
        ? `${(loraParams / 1e6).toFixed(2)}M LoRA (r=${lora.r} on ${lora.targets.join(',')}) + ${headParams} head`
        : `${gib(trainable)} parameters`,
    },
    {
      name: 'gradients',
      bytes: gradientCopies * trainable * F32,
      detail: gradientCopies === 2 ? 'one per trainable, plus accumulation sums' : 'one per trainable',
    },
    { name: 'optimiser state (AdamW)', bytes: 2 * trainable * F32, detail: 'first and second moments, f32' },
    {
      name: 'activations',
      bytes: activationElements * F32,
      detail: `batch ${input.batchSize} x ${input.maxLength} tokens: ${mibOf(perLayer * F32)} per layer x ${s.layers} layers, one more layer while back-propagating, embeddings and head`,
    },
    { name: 'buffer pool (cap)', bytes: input.poolBytes, detail: 'freed buffers kept for reuse' },
  ];
  const totalBytes = rows.reduce((sum, r) => sum + r.bytes, 0);
  const [bigIn, bigOut] = Object.values(shapes).reduce((a, b) => (a[0] * a[1] >= b[0] * b[1] ? a : b));
  const buffers: PlanRow[] = [
    { name: 'embedding table', bytes: s.vocab * s.hidden * F32, detail: `${s.vocab} x ${s.hidden} f32` },
    {
      name: 'largest projection weight',
      bytes: bigIn * bigOut * weightBytes,
      detail: `${bigIn} x ${bigOut} ${input.weightStorage}`,
    },
    {
      name: 'attention scores',
      bytes: input.batchSize * s.heads * input.maxLength ** 2 * F32,
      detail: `${input.batchSize} x ${s.heads} heads x ${input.maxLength} x ${input.maxLength} f32`,
    },
    { name: 'MLP activation', bytes: tokens * s.inter * F32, detail: `${tokens} tokens x ${s.inter} f32` },
  ];
  const problems: string[] = [];
  for (const b of buffers) {
    for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const)
      if (b.bytes > input.limits[limit]) {
        problems.push(`${b.name} (${b.detail}) needs ${mibOf(b.bytes)}, over ${limit} ${mibOf(input.limits[limit])}`);
        break;
      }
  }
  // a decoder's frozen projections are packed on the CPU while loading; an encoder loads in f32 and packs afterwards
  const packedAtLoad = lora !== null && !s.encoder;
  const loadBytes = (packedAtLoad ? frozenBytes : parameters * F32) + input.poolBytes;
  const device = input.deviceMemory.bytes;
  if (device !== null && totalBytes > device)
    problems.push(
      `the total ${gibOf(totalBytes)} exceeds the device memory ${gibOf(device)} (${input.deviceMemory.source})`,
    );
  if (device !== null && input.weightStorage !== 'f32' && !packedAtLoad && loadBytes > device)
    problems.push(
      `loading holds the weights in f32 before packing them: ${gibOf(loadBytes)} exceeds the device memory ${gibOf(device)}`,
    );
  return { rows, totalBytes, loadBytes, packedAtLoad, buffers, problems, input };
}

/** The plan as log lines. */
export function formatGpuMemoryPlan(plan: GpuMemoryPlan): string[] {
  const { input } = plan;
  const row = (name: string, bytes: string, detail: string) =>
    `  ${name.padEnd(34)} ${bytes.padStart(11)}  ${detail}`.trimEnd();
  const device = input.deviceMemory.bytes;
  return [
    `gpu memory plan (estimate; batch ${input.batchSize} x ${input.maxLength} tokens, frozen weights ${input.weightStorage}):`,
    ...plan.rows.map((r) => row(r.name, gibOf(r.bytes), r.detail)),
    row('total', gibOf(plan.totalBytes), ''),
    ...(input.weightStorage === 'f32'
      ? []
      : [
          row(
            'while loading',
            gibOf(plan.loadBytes),
            plan.packedAtLoad
              ? 'projection weights packed on the CPU as they load, plus the pool'
              : 'weights in f32 until packed, plus the pool',
          ),
        ]),
    row('device memory', device === null ? 'unknown' : gibOf(device), input.deviceMemory.source),
    ...plan.buffers.map((b) => row(`buffer: ${b.name}`, mibOf(b.bytes), b.detail)),
    row('maxStorageBufferBindingSize', mibOf(input.limits.maxStorageBufferBindingSize), ''),
    row('maxBufferSize', mibOf(input.limits.maxBufferSize), ''),
    plan.problems.length ? `  does not fit: ${plan.problems.join('; ')}` : '  fits',
  ];
}

/** Refuses a plan that does not fit with GPU_MEMORY_PLAN_TOO_LARGE, showing the numbers; returns it otherwise. */
export function assertGpuPlanFits(plan: GpuMemoryPlan): GpuMemoryPlan {
  if (plan.problems.length) throw engineErrors.gpuMemoryPlanTooLarge(plan.problems, formatGpuMemoryPlan(plan));
  return plan;
}

function mibOf(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function gibOf(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
}
