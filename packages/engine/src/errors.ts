import { LookrightError } from '@lookright/core';

/**
 * Every error the engine raises on purpose. Each factory names the file, tensor, repo or backend concerned, and
 * its `hint` says what to do. Messages never contain secrets such as HF_TOKEN.
 */
export const engineErrors = {
  safetensorsInvalid: (file: string, reason: string) =>
    new LookrightError(
      'SAFETENSORS_INVALID',
      `${file} is not a valid safetensors file: ${reason}`,
      'The file is corrupted or truncated; download or write it again (safetensors follows the Rust library rules: no gaps, overlaps or trailing bytes).',
    ),
  safetensorsUnreadable: (file: string, reason: string) =>
    new LookrightError(
      'SAFETENSORS_UNREADABLE',
      `cannot read ${file}: ${reason}`,
      'Check that the path exists and is readable.',
    ),
  safetensorsInt64OutOfRange: (file: string, tensor: string, index: number) =>
    new LookrightError(
      'SAFETENSORS_I64_RANGE',
      `${file}: tensor ${tensor} holds an I64 value at flat index ${index} outside the int32 range`,
      'lookright converts I64 to int32 on load (tfjs has no int64); store these values as I32 or rescale them.',
    ),
  safetensorsUnsupportedDtype: (file: string, tensor: string, dtype: string) =>
    new LookrightError(
      'SAFETENSORS_DTYPE',
      `${file}: tensor ${tensor} has dtype ${dtype}, which lookright cannot load`,
      'Supported: F64, F32, F16, BF16 (loaded as float32), I64, I32, I16, I8, U16 (loaded as int32), U8, BOOL (uint8).',
    ),
  safetensorsWriteInvalid: (file: string, tensor: string, reason: string) =>
    new LookrightError(
      'SAFETENSORS_WRITE_INVALID',
      `cannot write ${file}: tensor ${tensor} ${reason}`,
      'Pass a Float32Array, Int32Array or Uint8Array whose length equals the product of the shape.',
    ),
  checkpointNoWeights: (dir: string, present: readonly string[]) =>
    new LookrightError(
      'CHECKPOINT_NO_WEIGHTS',
      `${dir} holds no model.safetensors or model.safetensors.index.json (found: ${present.join(', ') || 'nothing'})`,
      present.some((f) => f.endsWith('.bin'))
        ? 'PyTorch .bin checkpoints are not supported; convert to safetensors (e.g. with transformers: model.save_pretrained(dir, safe_serialization=True)).'
        : 'Point --model at a Hugging Face checkpoint folder (config.json + model.safetensors) or a hub repo id.',
    ),
  checkpointConfigInvalid: (file: string, reason: string) =>
    new LookrightError(
      'CHECKPOINT_CONFIG_INVALID',
      `${file}: ${reason}`,
      'config.json must be the JSON object written by transformers next to the weights.',
    ),
  checkpointIndexInvalid: (file: string, reason: string) =>
    new LookrightError(
      'CHECKPOINT_INDEX_INVALID',
      `${file}: ${reason}`,
      'The index must map every tensor name (weight_map) to a shard file in the same folder; download the checkpoint again.',
    ),
  checkpointTensorNames: (
    source: string,
    missing: readonly string[],
    unexpected: readonly string[],
    expected: string,
  ) =>
    new LookrightError(
      'CHECKPOINT_TENSOR_NAMES',
      `${source}: tensor names do not match config.json` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unexpected.length ? `; unexpected: ${unexpected.join(', ')}` : ''),
      `Expected names: ${expected}. Check that config.json belongs to these weights (model_type, num_hidden_layers, tie_word_embeddings).`,
    ),
  checkpointTensorShape: (source: string, tensor: string, expected: readonly number[], found: readonly number[]) =>
    new LookrightError(
      'CHECKPOINT_TENSOR_SHAPE',
      `${source}: tensor ${tensor} has shape [${found.join(', ')}], config.json implies [${expected.join(', ')}]`,
      'Check that config.json belongs to these weights.',
    ),
  modelSourceNotFound: (spec: string) =>
    new LookrightError(
      'MODEL_SOURCE_NOT_FOUND',
      `${spec} is neither a local folder nor a hub repo id (org/name[@revision])`,
      'Give a checkpoint folder path, or a Hugging Face repo id such as org/name or org/name@main.',
    ),
  hubNotCached: (repo: string, revision: string, cacheDir: string, reason: string) =>
    new LookrightError(
      'HUB_NOT_CACHED',
      `${repo}@${revision} is not in the Hugging Face cache ${cacheDir} and the hub cannot be used: ${reason}`,
      'Unset HF_HUB_OFFLINE and connect to the network, pre-populate the cache (huggingface-cli download on a connected machine, then copy HF_HUB_CACHE), or pass a local checkpoint folder instead of a repo id.',
    ),
  hubUnreachable: (repo: string, revision: string, reason: string) =>
    new LookrightError(
      'HUB_UNREACHABLE',
      `cannot download ${repo}@${revision}: the network or hub is unreachable (${reason}), and the revision is not cached`,
      'Connect to the network, pre-populate the cache (HF_HOME / HF_HUB_CACHE) and set HF_HUB_OFFLINE=1, or pass a local checkpoint folder.',
    ),
  hubDownloadFailed: (repo: string, revision: string, file: string, reason: string) =>
    new LookrightError(
      'HUB_DOWNLOAD_FAILED',
      `cannot download ${file} from ${repo}@${revision}: ${reason}`,
      'Check the repo id and revision; for a gated or private repo set HF_TOKEN to a token with read access.',
    ),
  backendNotInstalled: (name: string, pkg: string, extra: string) =>
    new LookrightError(
      'BACKEND_NOT_INSTALLED',
      `backend ${name} needs ${pkg}, which is not installed`,
      `Install it with: pnpm add --filter @lookright/engine ${pkg}@4.22.0 (it downloads a native TensorFlow library at install time).${extra}`,
    ),
  wasmThreadsInvalid: (value: string, max: number) =>
    new LookrightError(
      'WASM_THREADS_INVALID',
      `LOOKRIGHT_WASM_THREADS is ${JSON.stringify(value)}, not a thread count from 1 to ${max}`,
      `Set it to an integer from 1 to ${max}, or to auto (one thread per core, at most ${max}); unset, the wasm backend runs one thread.`,
    ),
  backendUnavailable: (name: string, reason: string) =>
    new LookrightError(
      'BACKEND_UNAVAILABLE',
      `backend ${name} could not start: ${reason}`,
      'Choose another backend with --backend (auto, wasm, cpu, tensorflow, tensorflow-gpu, webgpu).',
    ),
  modelTooBigForBackend: (
    source: string,
    backend: string,
    need: { parameters: number; parameterBytes: number; totalBytes: number },
    limitBytes: number,
  ) =>
    new LookrightError(
      'MODEL_TOO_BIG_FOR_BACKEND',
      `${source} has ${(need.parameters / 1e9).toFixed(2)}B parameters: ${gib(need.parameterBytes)} GiB as float32, about ${gib(need.totalBytes)} GiB with working memory, more than the ${backend} heap limit of ${gib(limitBytes)} GiB; nothing was loaded`,
      'Use --backend tensorflow (tfjs-node) or tensorflow-gpu (tfjs-node-gpu, NVIDIA GPU with CUDA 11.2 + cuDNN 8.1), or the cpu backend, or a smaller model.',
    ),
  modelTooBigForMemory: (
    source: string,
    backend: string,
    need: { parameters: number; parameterBytes: number; totalBytes: number },
    systemBytes: number,
  ) =>
    new LookrightError(
      'MODEL_TOO_BIG_FOR_MEMORY',
      `${source} has ${(need.parameters / 1e9).toFixed(2)}B parameters: about ${gib(need.totalBytes)} GiB as float32 with working memory, more than this machine's ${gib(systemBytes)} GiB of RAM (backend ${backend}); nothing was loaded`,
      'Use a smaller model or a machine with more memory; lookright holds weights as float32.',
    ),
  webgpuNotInstalled: (pkg: string, command: string) =>
    new LookrightError(
      'BACKEND_NOT_INSTALLED',
      `backend webgpu needs ${pkg}, which is not installed`,
      `Install it with: ${command} (webgpu ships Dawn's prebuilt dawn.node; nothing is downloaded at install time).`,
    ),
  webgpuNoAdapter: (reason: string, hint: string) =>
    new LookrightError('WEBGPU_NO_ADAPTER', `backend webgpu found no usable GPU adapter: ${reason}`, hint),
  webgpuLibraryMissing: (library: string, install: string) =>
    new LookrightError(
      'WEBGPU_LIBRARY_MISSING',
      `backend webgpu needs ${library}, which this machine does not have`,
      `Install it: ${install}. Or choose another backend with --backend (wasm, cpu, tensorflow).`,
    ),
  webgpuBufferTooLarge: (bytes: number, limitName: string, limitBytes: number, adapter: string) =>
    new LookrightError(
      'WEBGPU_BUFFER_TOO_LARGE',
      `a tensor of ${mib(bytes)} MiB exceeds the GPU's ${limitName} of ${mib(limitBytes)} MiB (${adapter}); nothing was computed with it`,
      'Lower batchSize or maxLength (activations grow with batch x length x hidden, logits with batch x length x vocab), or use a GPU with larger limits; the wasm backend has no such limit.',
    ),
  gpuMemoryPlanTooLarge: (problems: readonly string[], plan: readonly string[]) =>
    new LookrightError(
      'GPU_MEMORY_PLAN_TOO_LARGE',
      `the run does not fit the GPU: ${problems.join('; ')}; nothing was loaded\n${plan.join('\n')}`,
      "Lower batchSize or maxLength, train fewer LoRA targets or a smaller rank, set the recipe's weightStorage to bf16 or f16 (frozen weights in 16 bits), or use a GPU with more memory and larger buffer limits. Set LOOKRIGHT_GPU_MEMORY_MIB when the device memory shown is wrong.",
    ),
  webgpuDeviceError: (kind: string, message: string, adapter: string) =>
    new LookrightError(
      'WEBGPU_DEVICE_ERROR',
      `the GPU device reported ${kind}: ${message.split('\n')[0]} (${adapter}); the numbers computed since cannot be trusted and the run stops`,
      'An out-of-memory error needs a smaller batchSize or maxLength; a validation error is a bug in lookright or tfjs-backend-webgpu: report it with this message. Meanwhile use --backend wasm.',
    ),
};

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}

function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(2);
}

/** Errors of the decoder model, mask builder and LoRA (engine/src/model, masks, lora). */
export const modelErrors = {
  maskSpecInvalid: (layer: number, found: string) =>
    new LookrightError(
      'MASK_SPEC_INVALID',
      `mask spec for layer ${layer} is invalid: ${found}`,
      'A window spec needs non-negative integer left and right (query i sees keys i-left..i+right).',
    ),
  maskSpecCount: (source: string, numLayers: number, found: number) =>
    new LookrightError(
      'MASK_SPEC_COUNT',
      `${source} has ${numLayers} decoder layers, but ${found} mask spec(s) were given`,
      'Give exactly one mask spec per layer (a mask strategy computes them from the layer count).',
    ),
  configUnsupported: (file: string, key: string, found: string, supported: string) =>
    new LookrightError(
      'MODEL_CONFIG_UNSUPPORTED',
      `${file}: ${key} = ${found} is not supported by backbone:llama`,
      `Supported: ${supported}.`,
    ),
  configMissing: (file: string, key: string) =>
    new LookrightError(
      'MODEL_CONFIG_MISSING',
      `${file}: required key ${key} is missing`,
      'config.json must be the one transformers wrote for this checkpoint.',
    ),
  inputsInvalid: (source: string, reason: string) =>
    new LookrightError(
      'MODEL_INPUTS_INVALID',
      `${source}: ${reason}`,
      'input_ids and attention_mask must both be [batch, seq] integer tensors with ids below vocab_size.',
    ),
  noLmHead: (source: string) =>
    new LookrightError(
      'MODEL_NO_LM_HEAD',
      `${source} has no lm_head.weight and does not tie its embeddings, so it cannot produce logits`,
      'Ask for hidden states only, or use a *ForCausalLM checkpoint.',
    ),
  adapterInvalid: (file: string, reason: string) =>
    new LookrightError(
      'ADAPTER_INVALID',
      `${file}: ${reason}`,
      'A LoRA adapter folder holds adapter_config.json (peft_type "LORA", r, lora_alpha, target_modules) and adapter_model.safetensors as PEFT writes them.',
    ),
  adapterTensorNames: (file: string, missing: readonly string[], unexpected: readonly string[]) =>
    new LookrightError(
      'ADAPTER_TENSOR_NAMES',
      `${file}: adapter tensors do not match adapter_config.json and the base model` +
        (missing.length ? `; missing: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}` : '') +
        (unexpected.length
          ? `; unexpected: ${unexpected.slice(0, 8).join(', ')}${unexpected.length > 8 ? ', ...' : ''}`
          : ''),
      'Keys must be base_model.model.[model.]layers.<i>.<self_attn|mlp>.<module>.lora_A.weight / lora_B.weight (encoders: base_model.model.[bert.|roberta.]encoder.layer.<i>.attention.self.<query|key|value>...) for every targeted module; check that the adapter was made for this base checkpoint.',
    ),
  sizesInvalid: (backbone: string, key: string, found: string, fits: string) =>
    new LookrightError('MODEL_CONFIG_SIZES', `${backbone}: config.${key} ${found}`, `Use ${fits}.`),
  modelNotBuilt: (backbone: string) =>
    new LookrightError(
      'MODEL_FROM_CONFIG_NOT_BUILT',
      `${backbone} is made from a config and has no weights yet, so there is nothing to load`,
      'Write its folder first (the trainer does, see materializeBackbone) and load the backbone `fromConfig.open(dir)` returns.',
    ),
  pretrainObjective: (backbone: string, found: string, expected: string) =>
    new LookrightError(
      'MODEL_PRETRAIN_OBJECTIVE',
      `${backbone}: pretrain.objective ${found} does not pre-train this architecture (it takes ${expected})`,
      `Use objective ${expected} here; clm pre-trains a causal decoder (backbone:llama), mlm an encoder (backbone:bert).`,
    ),
  pretrainNotBuilt: (backbone: string) =>
    new LookrightError(
      'MODEL_PRETRAIN_NOT_BUILT',
      `${backbone} is pre-trained by its own cell and has no weights until that cell has finished`,
      'Run the suite with `lookright run`: it pre-trains first and gives each fine-tuning cell the checkpoint folder.',
    ),
  fusedLoraUnsupported: (backend: string) =>
    new LookrightError(
      'LORA_FUSED_UNSUPPORTED',
      `the fused LoRA matmul is a WGSL kernel for backend webgpu, but the backend is ${backend}`,
      'Use the composed LoRA linear (ops/linear.ts) on this backend.',
    ),
  weightStorageUnsupported: (format: string, backend: string) =>
    new LookrightError(
      'WEIGHT_STORAGE_UNSUPPORTED',
      `recipe weightStorage ${format} (packed frozen weights) needs backend webgpu, but the backend is ${backend}`,
      "Set the recipe's backend to webgpu, or remove weightStorage (f32, the default) to train on this backend.",
    ),
  loraMergePacked: (format: string) =>
    new LookrightError(
      'WEIGHT_STORAGE_UNSUPPORTED',
      `cannot merge LoRA into a base weight held in ${format}: merging would round the adapter's update to ${format}`,
      'Merge on a model loaded in f32 (without weightStorage), e.g. from the exported PEFT adapter.',
    ),
  packedWeightTrainable: (name: string, format: string) =>
    new LookrightError(
      'WEIGHT_STORAGE_UNSUPPORTED',
      `${name} is held in ${format} (a frozen 16-bit weight) and cannot be made trainable`,
      'Only frozen base weights are stored in 16 bits; train it on a model loaded in f32 (without weightStorage).',
    ),
  loraConfigInvalid: (key: string, found: string, expected: string) =>
    new LookrightError('LORA_CONFIG_INVALID', `LoRA ${key} = ${found} is invalid`, `Expected ${expected}.`),
};

/** Errors of the BERT / RoBERTa encoder (engine/src/encoder). */
export const encoderErrors = {
  configUnsupported: (file: string, key: string, found: string, supported: string) =>
    new LookrightError(
      'ENCODER_CONFIG_UNSUPPORTED',
      `${file}: ${key} = ${found} is not supported by backbone:bert`,
      `Supported: ${supported}.`,
    ),
  configMissing: (file: string, key: string) =>
    new LookrightError(
      'ENCODER_CONFIG_MISSING',
      `${file}: required key ${key} is missing`,
      'config.json must be the one transformers wrote for this BERT / RoBERTa checkpoint.',
    ),
  maskNotBidirectional: (source: string, layer: number, kind: string) =>
    new LookrightError(
      'ENCODER_MASK_NOT_BIDIRECTIONAL',
      `${source}: layer ${layer} was given a ${kind} mask, but an encoder's attention is always bidirectional`,
      'Use mask:bidirectional for encoder baselines (padding is always masked).',
    ),
  positionsExceeded: (source: string, needed: number, available: number) =>
    new LookrightError(
      'ENCODER_POSITIONS_EXCEEDED',
      `${source}: the batch needs position id ${needed}, but the model has max_position_embeddings ${available}`,
      'Use shorter sequences (recipe maxLength) for this encoder.',
    ),
};

/** Errors of the mask audit (packages/engine/src/audit). */
export const auditErrors = {
  optionsInvalid: (source: string, reason: string) =>
    new LookrightError(
      'MASK_AUDIT_OPTIONS',
      `mask audit of ${source}: ${reason}`,
      'Use a sequence of at least 4 tokens with at least 2 real (unpadded) ones.',
    ),
  mismatch: (source: string, table: string) =>
    new LookrightError(
      'MASK_AUDIT_FAILED',
      `the masks ${source} applies differ from the declared ones; refusing to train:\n${table}`,
      'A layer does not do what its mask spec says (a silent fall-back, or padding that became visible). Run `pnpm lookright audit-mask --model <dir> --mask <spec>` and fix the mask builder or backbone before training.',
    ),
};
