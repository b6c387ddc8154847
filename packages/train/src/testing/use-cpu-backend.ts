/** Unit tests of small tensor code run on tfjs' pure-JS cpu backend (the engine's helper, gradients registered). */
export { useCpuBackend } from '@lookright/engine/testing';
