import { defineOpGradientTests } from '../testing/op-gradient-cases.js';
import { useTestBackend } from '../testing/test-backend.js';

describe('training ops: custom gradients equal tf autodiff of the plain op', () => {
  before(async () => {
    await useTestBackend();
  });
  defineOpGradientTests();
});
