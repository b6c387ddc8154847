import { MaskStrategy } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { alternatingMask } from './alternating.js';

export default new ContainerModule(({ bind }) => {
  bind(MaskStrategy).toConstantValue(alternatingMask);
});
