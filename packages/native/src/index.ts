export { assertBackendLayout, type BackendMemory, PINNED_TFJS } from './backend-memory.js';
export {
  activeNative,
  disableNative,
  ENABLE_HINT,
  type EnableNativeOptions,
  enableNative,
  type NativeStatus,
  nativeKernelActive,
} from './enable-native.js';
export { nativeErrors } from './errors.js';
export {
  type AdamWSlot,
  type AdamWStepSettings,
  adamwInPlaceAllowed,
  adamwScalars,
  fusedAdamWUpdate,
} from './fused-adamw.js';
export { kernelTimes, withOriginalKernels } from './kernel-registry.js';
export {
  bf16MatmulSupport,
  type MatmulPrecision,
  matmulPrecision,
  NATIVE_BF16_KERNELS,
  setMatmulPrecision,
} from './matmul-precision.js';
export {
  addonPath,
  BLAS_THREAD_TIMEOUT,
  type BlasInfo,
  blasNumerics,
  chooseBlasCoreType,
  chooseBlasThreadTimeout,
  loadAddon,
  type NativeAddon,
} from './native-addon.js';
export {
  type AttentionShape,
  type NativeTrainingOps,
  nativeAttention,
  nativeLinear,
  nativeLinearAdd,
  nativeRopeAttention,
  nativeTrainingOps,
} from './ops/engine-ops.js';
export {
  nativeApplyRope,
  nativeEmbedding,
  nativeMaskedSoftmax,
  nativeMergeHeads,
  nativeRmsNorm,
  nativeRopeSplitHeads,
  nativeSeededDropout,
  nativeSplitHeads,
  nativeSwiglu,
  nativeSwigluPair,
} from './ops/native-ops.js';
export { nativeSumsOfSquares } from './ops/sum-squares.js';
