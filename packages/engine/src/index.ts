export { engineErrors } from './errors.js';
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
