/**
 * Registers tfjs's stock gradient functions (Mean, RealDiv, LogSoftmax, ...) on the shared tfjs-core: tfjs-core
 * alone registers none under Node ESM, and the `@tensorflow/tfjs` bundle registers all of them. Imported by the
 * training loop, so autodiff works whoever selected the backend.
 */
import '@tensorflow/tfjs';
