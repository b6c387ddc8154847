import { adamwKernel } from './adamw.js';
import { attentionGradKernel, attentionKernel } from './attention.js';
import { batchMatMulKernel, fusedMatMulKernel } from './batch-matmul.js';
import { columnSumKernel } from './column-sum.js';
import { dropoutKernel } from './dropout.js';
import { addKernel, multiplyKernel } from './elementwise.js';
import { embeddingGradKernel, embeddingKernel } from './embedding.js';
import { headsKernel } from './heads.js';
import { identityKernel } from './identity.js';
import { linearAddKernel } from './linear-add.js';
import { maskedSoftmaxGradKernel, maskedSoftmaxKernel } from './masked-softmax.js';
import type { NativeKernel } from './native-kernel.js';
import { rmsNormGradKernel, rmsNormKernel } from './rms-norm.js';
import { sumsOfSquaresKernel } from './sum-squares.js';
import { swigluGradKernel, swigluKernel } from './swiglu.js';

/** Every native kernel, registered by enableNative() in this order. */
export const allNativeKernels: readonly NativeKernel[] = [
  batchMatMulKernel,
  fusedMatMulKernel,
  linearAddKernel,
  rmsNormKernel,
  rmsNormGradKernel,
  swigluKernel,
  swigluGradKernel,
  headsKernel,
  maskedSoftmaxKernel,
  maskedSoftmaxGradKernel,
  attentionKernel,
  attentionGradKernel,
  embeddingKernel,
  embeddingGradKernel,
  adamwKernel,
  identityKernel,
  addKernel,
  multiplyKernel,
  columnSumKernel,
  dropoutKernel,
  sumsOfSquaresKernel,
];
