export {
  auditMask,
  type MaskAuditLayer,
  type MaskAuditOptions,
  type MaskAuditReport,
  maskAuditJson,
} from './audit/audit-mask.js';
export type { MaskAuditTarget } from './audit/audit-target.js';
export { assertMaskAuditOk, formatMaskAudit } from './audit/format-audit.js';
export { type RunMaskAuditOptions, runMaskAudit } from './audit/run-mask-audit.js';
export type { LoadedBackboneModel } from './backbone-models.js';
export {
  BACKEND_NAMES,
  type BackendDescription,
  type BackendName,
  formatBackendLine,
  isBackendName,
  logBackend,
  type ResolvedBackendName,
} from './backend/backend-description.js';
export { type DeviceMemory, gpuDeviceMemory } from './backend/gpu-device-memory.js';
export {
  assertGpuPlanFits,
  formatGpuMemoryPlan,
  type GpuMemoryPlan,
  type GpuPlanInput,
  planGpuMemory,
  type WeightStorage,
} from './backend/gpu-memory-plan.js';
export { measureMatMulGflops } from './backend/matmul-rate.js';
export {
  assertModelFits,
  backendHeapLimit,
  estimateModelMemory,
  type FitOptions,
  type ModelMemoryEstimate,
  WASM_HEAP_LIMIT_BYTES,
} from './backend/memory-check.js';
export { estimateParameterCount } from './backend/model-size.js';
export { isPackageInstalled, NATIVE_PACKAGES, seesNvidiaGpu } from './backend/native-tfjs.js';
export { resolveAuto, selectBackend } from './backend/select-backend.js';
export { wasmBinaryFolder } from './backend/wasm-backend.js';
export {
  formatAdapterLine,
  softwareAdapterRequested,
  type WebgpuAdapterDescription,
} from './backend/webgpu-adapter.js';
export { startWebgpu, WEBGPU_KERNELS, webgpuAdapter } from './backend/webgpu-backend.js';
export {
  assertWebgpuHealthy,
  clearWebgpuFailure,
  defaultPoolBytes,
  setWebgpuPoolBytes,
} from './backend/webgpu-guard.js';
export { probeHardwareWebgpu } from './backend/webgpu-probe.js';
export { type DecoderConfig, type DecoderFamily, parseDecoderConfig } from './decoder/decoder-config.js';
export {
  type DecoderForwardOptions,
  DecoderModel,
  type DecoderOutput,
} from './decoder/decoder-model.js';
export * from './decoder/decoder-params.js';
export { expectedDecoderTensors } from './decoder/decoder-weight-names.js';
export { buildDecoderParams, decoderPrefix } from './decoder/decoder-weights.js';
export { type LoadDecoderOptions, type LoadedDecoder, loadDecoder } from './decoder/load-decoder.js';
export * from './encoder/index.js';
export { auditErrors, encoderErrors, engineErrors } from './errors.js';
export {
  type BackboneParams,
  backboneFromConfig,
  backboneParamsSchema,
} from './from-config/backbone-params.js';
export {
  type ModelConfigParam,
  type ModelSizeName,
  modelConfigParamSchema,
  modelSizePresets,
  modelSizesOf,
  resolveModelSizes,
} from './from-config/model-sizes.js';
export {
  backboneForPretraining,
  objectiveOf,
  type PretrainParam,
  pretrainParamSchema,
} from './from-config/pretrain-param.js';
export { inspectEncoderHiddenStates } from './inspect/inspect-encoder-hidden-states.js';
export {
  type InspectHiddenStatesOptions,
  type InspectHiddenStatesResult,
  inspectHiddenStates,
} from './inspect/inspect-hidden-states.js';
export {
  type BackboneCheckpoint,
  checkpointParamsSchema,
  resolveBackboneCheckpoint,
} from './io/backbone-checkpoint.js';
export { type Checkpoint, countParameters, type LoadCheckpointOptions, loadCheckpoint } from './io/checkpoint-load.js';
export {
  assertTensorNames,
  assertTensorShape,
  type ExpectedTensorNames,
  summarizeNames,
} from './io/checkpoint-names.js';
export {
  checkpointWeightFiles,
  missingCheckpointFiles,
  readCheckpointConfig,
  readCheckpointWeights,
} from './io/checkpoint-weights.js';
export { type ModelSource, type ResolveOptions, resolveModelSource } from './io/model-source.js';
export { convertTensorBytes, type LoadedDtype, loadedDtypeOf, type TensorData } from './io/safetensors-convert.js';
export {
  decodeSafetensors,
  type LoadedTensor,
  readSafetensors,
  readSafetensorsLayout,
  TensorMap,
} from './io/safetensors-read.js';
export {
  MAX_HEADER_BYTES,
  SAFETENSORS_DTYPE_BYTES,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsLayout,
} from './io/safetensors-validate.js';
export { encodeSafetensors, type TensorToWrite, writeSafetensors } from './io/safetensors-write.js';
export type { LinearParams, LoraParams } from './layers/linear-params.js';
export { tensorsFromCheckpoint } from './layers/tensors-from-checkpoint.js';
export { attachLora, mergeLora } from './lora/attach-lora.js';
export { isEncoderModel, type LoraModel, type LoraModule, loraModules, wrapperNames } from './lora/lora-modules.js';
export { encoderLoraTargets, type LoraSettings, type LoraTarget, loraSettings } from './lora/lora-settings.js';
export { packFrozenWeights } from './lora/pack-frozen-weights.js';
export { PEFT_V071_FIELDS, type PeftLoraConfig, readPeftConfig } from './lora/peft-config.js';
export { applyPeftAdapter, type LoadedPeftAdapter } from './lora/peft-load.js';
export { type PeftWrappedClass, type SavePeftOptions, savePeftAdapter } from './lora/peft-save.js';
export { allowedPattern, specAllows, specKey } from './masks/allowed-pattern.js';
export { BLOCKED, MaskBuilder, type MaskBuilderOptions } from './masks/attention-bias.js';
export { type HalfFormat, packHalves, unpackHalves } from './ops/half-precision.js';
export * from './ops/index.js';
export { dequantizeNf4, NF4_BLOCK, NF4_LEVELS, quantizeNf4 } from './ops/nf4.js';
export { isPackedKernel, matMul16, type PackedFormat, PackedKernel, packKernel } from './ops/packed-kernel.js';
