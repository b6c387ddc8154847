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
export { NativeAdamW, type NativeAdamWConfig } from './native-adamw.js';
export { addonPath, loadAddon, type NativeAddon } from './native-addon.js';
export {
  nativeEmbedding,
  nativeMaskedSoftmax,
  nativeMergeHeads,
  nativeRmsNorm,
  nativeRopeSplitHeads,
  nativeSplitHeads,
  nativeSwiglu,
} from './ops/native-ops.js';
