import { useTestBackend } from '../testing/test-backend.js';
import { defineOpGradientTests } from './op-gradient-cases.js';

describe('training ops: custom gradients equal tf autodiff of the plain op', () => {
  before(async () => {
    await useTestBackend();
  });
  defineOpGradientTests();
});
