import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { gpuDeviceMemory } from './gpu-device-memory.js';
import { assertGpuPlanFits, formatGpuMemoryPlan, type GpuPlanInput, planGpuMemory } from './gpu-memory-plan.js';

/** meta-llama/Llama-2-7b-hf config.json sizes (6,738,415,616 parameters). */
const llama2_7b = {
  model_type: 'llama',
  hidden_size: 4096,
  intermediate_size: 11008,
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 32,
  vocab_size: 32000,
  tie_word_embeddings: false,
};

const GiB = 2 ** 30;
const MiB = 2 ** 20;
/** An H100's Vulkan limits as Dawn caps them (4 GiB - 4), and 80 GiB. */
const h100 = { maxBufferSize: 4 * GiB - 4, maxStorageBufferBindingSize: 4 * GiB - 4 };

function input(over: Partial<GpuPlanInput> = {}): GpuPlanInput {
  return {
    config: llama2_7b,
    lora: { r: 64, targets: ['q', 'v'], dropout: 0.1 },
    labels: 9,
    batchSize: 16,
    maxLength: 128,
    gradientAccumulation: 4,
    weightStorage: 'f32',
    poolBytes: 512 * MiB,
    limits: h100,
    deviceMemory: { bytes: 80 * GiB, source: 'test' },
    ...over,
  };
}

const row = (plan: ReturnType<typeof planGpuMemory>, name: string) => plan.rows.find((r) => r.name === name)!.bytes;

describe('GPU memory plan', () => {
  it('works out Llama-2-7B with LoRA r=64 on q,v at batch 16 x 128 as by hand', () => {
    const plan = planGpuMemory(input());
    // 6,738,415,616 parameters x 4 bytes
    assert.equal(row(plan, 'frozen base weights'), 26_953_662_464);
    // LoRA: 32 layers x 64 x (4096 + 4096) x 2 targets = 33,554,432; head: 4096 x 9 + 9 = 36,873
    assert.equal(row(plan, 'LoRA and head (f32)'), (33_554_432 + 36_873) * 4);
    // accumulation 4: gradients plus their running sums
    assert.equal(row(plan, 'gradients'), 2 * 33_591_305 * 4);
    assert.equal(row(plan, 'optimiser state (AdamW)'), 2 * 33_591_305 * 4);
    // per layer at 2048 tokens: 2048 x (6x4096 + 3x4096 + 3x11008 + 2x(64 + 4096)) + 2 x 16 x 32 x 128 x 128
    //   = 160,169,984 + 16,777,216 = 176,947,200 elements; x 33 (one more while back-propagating)
    //   + 2048 x (2 x 4096 + 2 x 9) for embeddings and head = 5,856,071,680 elements
    assert.equal(row(plan, 'activations'), 5_856_071_680 * 4);
    assert.equal(row(plan, 'buffer pool (cap)'), 536_870_912);
    assert.equal(plan.totalBytes, 51_586_646_196);
    assert.deepEqual(plan.problems, [], 'fits an 80 GiB GPU');
    assert.deepEqual(
      plan.buffers.map((b) => [b.name, b.bytes]),
      [
        ['embedding table', 32000 * 4096 * 4],
        ['largest projection weight', 4096 * 11008 * 4],
        ['attention scores', 16 * 32 * 128 * 128 * 4],
        ['MLP activation', 2048 * 11008 * 4],
      ],
    );
  });

  it('halves the projection weights in 16 bits and keeps embeddings and norms in f32', () => {
    const plan = planGpuMemory(input({ weightStorage: 'bf16' }));
    // 32 x (4 x 4096^2 + 3 x 4096 x 11008) = 6,476,005,376 projection weights x 2 bytes + 262,410,240 others x 4
    assert.equal(row(plan, 'frozen base weights'), 12_952_010_752 + 1_049_640_960);
    assert.equal(plan.totalBytes, 51_586_646_196 - 12_952_010_752);
    // a decoder's projections are packed on the CPU as they load: the load holds the frozen weights as stored + the pool
    assert.equal(plan.loadBytes, 12_952_010_752 + 1_049_640_960 + 536_870_912);
    assert.ok(plan.packedAtLoad);
    assert.ok(
      formatGpuMemoryPlan(plan).some((l) => /while loading +13\.54 GiB +projection weights packed on the CPU/.test(l)),
    );
    assert.equal(plan.buffers[1].bytes, 4096 * 11008 * 2);
  });

  it('holds the projection weights in NF4 at 0.5625 bytes each: half a byte of code and an f32 absmax per 64', () => {
    const plan = planGpuMemory(input({ weightStorage: 'nf4' }));
    // 6,476,005,376 projection weights x (0.5 + 4 / 64) bytes + 262,410,240 others x 4
    assert.equal(row(plan, 'frozen base weights'), 3_642_753_024 + 1_049_640_960);
    assert.equal(plan.loadBytes, 3_642_753_024 + 1_049_640_960 + 536_870_912);
    assert.equal(plan.buffers[1].bytes, 4096 * 11008 * 0.5625);
  });

  it('counts every weight as trained, with no frozen ones, without LoRA', () => {
    const plan = planGpuMemory(input({ lora: null, gradientAccumulation: 1 }));
    assert.equal(row(plan, 'frozen base weights'), 0);
    assert.equal(row(plan, 'weights and head (f32, trained)'), (6_738_415_616 + 36_873) * 4);
    assert.equal(row(plan, 'gradients'), (6_738_415_616 + 36_873) * 4);
  });

  it('refuses, with the numbers, a total over the device memory; 16-bit weights make it fit', () => {
    const device = { bytes: 40 * GiB, source: 'LOOKRIGHT_GPU_MEMORY_MIB' };
    const f32 = planGpuMemory(input({ deviceMemory: device }));
    assert.throws(
      () => assertGpuPlanFits(f32),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'GPU_MEMORY_PLAN_TOO_LARGE' &&
        e.message.includes('the total 48.04 GiB exceeds the device memory 40.00 GiB (LOOKRIGHT_GPU_MEMORY_MIB)') &&
        e.message.includes('frozen base weights') &&
        /weightStorage/.test(e.hint ?? ''),
    );
    const bf16 = planGpuMemory(input({ deviceMemory: device, weightStorage: 'bf16' }));
    assert.equal(assertGpuPlanFits(bf16).problems.length, 0);
  });

  it('counts an encoder as loading in f32 before packing, and refuses a load over the device memory', () => {
    // a BERT-large-shaped encoder: 24 layers of hidden 1024, FFN 4096 (about 0.33B parameters)
    const bertLarge = {
      model_type: 'bert',
      hidden_size: 1024,
      intermediate_size: 4096,
      num_attention_heads: 16,
      num_hidden_layers: 24,
      vocab_size: 30522,
      max_position_embeddings: 512,
      type_vocab_size: 2,
    };
    const base = { config: bertLarge, weightStorage: 'bf16' as const, poolBytes: 0 };
    const roomy = planGpuMemory(input(base));
    const parameters = roomy.loadBytes / 4;
    assert.ok(!roomy.packedAtLoad && parameters > 3e8 && parameters < 3.5e8, String(parameters));
    assert.ok(roomy.loadBytes > roomy.rows[0].bytes, 'loads more than it keeps');
    const device = { bytes: roomy.rows[0].bytes + 2 ** 20, source: 'test' };
    const small = planGpuMemory(input({ ...base, deviceMemory: device }));
    assert.ok(
      small.problems.some((p) => p.startsWith('loading holds the weights in f32 before packing them')),
      small.problems.join('; '),
    );
  });

  it("refuses buffers over the software adapter's 128 MiB binding limit, naming each", () => {
    const plan = planGpuMemory(
      input({ limits: { maxBufferSize: 2048 * MiB, maxStorageBufferBindingSize: 128 * MiB } }),
    );
    assert.deepEqual(plan.problems, [
      'embedding table (32000 x 4096 f32) needs 500.0 MiB, over maxStorageBufferBindingSize 128.0 MiB',
      'largest projection weight (4096 x 11008 f32) needs 172.0 MiB, over maxStorageBufferBindingSize 128.0 MiB',
    ]);
    assert.throws(() => assertGpuPlanFits(plan), /GPU|does not fit/);
  });

  it('prints every row, the device memory with its source, and the limits', () => {
    const unknown = { bytes: null, source: 'unknown: WebGPU does not report device memory' };
    const lines = formatGpuMemoryPlan(planGpuMemory(input({ deviceMemory: unknown })));
    const text = lines.join('\n');
    for (const name of [
      'frozen base weights',
      'LoRA and head',
      'optimiser state',
      'activations',
      'buffer pool',
      'total',
    ])
      assert.match(text, new RegExp(name));
    assert.match(text, /device memory +unknown +unknown: WebGPU does not report/);
    assert.match(text, /maxStorageBufferBindingSize +4096\.0 MiB/);
    assert.equal(lines.at(-1), '  fits');
  });
});

describe('GPU device memory', () => {
  const nvidia = { kind: 'hardware' as const, vendor: 'nvidia', device: 'NVIDIA H100 80GB HBM3', description: '' };

  it('takes LOOKRIGHT_GPU_MEMORY_MIB first', () => {
    assert.deepEqual(
      gpuDeviceMemory(nvidia, { LOOKRIGHT_GPU_MEMORY_MIB: '1024' }, () => '81559\n'),
      {
        bytes: 1024 * MiB,
        source: 'LOOKRIGHT_GPU_MEMORY_MIB',
      },
    );
  });

  it("reads nvidia-smi's memory.total for an NVIDIA adapter, else says it is unknown", () => {
    assert.deepEqual(
      gpuDeviceMemory(nvidia, {}, () => '81559\n81559\n'),
      {
        bytes: 81559 * MiB,
        source: 'nvidia-smi memory.total (first GPU)',
      },
    );
    const none = gpuDeviceMemory(nvidia, {}, () => undefined);
    assert.equal(none.bytes, null);
    assert.match(none.source, /^unknown/);
    assert.equal(gpuDeviceMemory({ ...nvidia, vendor: 'amd', device: 'Radeon' }, {}, () => '1').bytes, null);
  });

  it('uses host RAM for the software adapter', () => {
    const m = gpuDeviceMemory({ kind: 'software', vendor: 'mesa', device: 'llvmpipe', description: '' }, {});
    assert.ok((m.bytes ?? 0) > 0);
    assert.match(m.source, /host RAM/);
  });
});
