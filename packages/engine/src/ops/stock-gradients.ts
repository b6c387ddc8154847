/**
 * Registers tfjs's stock gradient functions (Add, Mul, Reshape, Softmax, ...). `@tensorflow/tfjs-core` alone
 * registers none under Node (its ESM gradient files cannot load there); the `@tensorflow/tfjs` bundle registers all
 * of them on the shared tfjs-core instance. Import this module once before any autodiff.
 */
import '@tensorflow/tfjs';
