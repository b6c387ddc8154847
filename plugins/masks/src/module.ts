import { MaskStrategy } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { bidirectionalMask } from './bidirectional.js';
import { causalMask } from './causal.js';
import { firstKMask } from './first-k.js';
import { groupsMask } from './groups.js';
import { lastKMask } from './last-k.js';
import { layersMask } from './layers.js';
import { lookaheadMask } from './lookahead.js';
import { middleMask } from './middle.js';

export default new ContainerModule(({ bind }) => {
  bind(MaskStrategy).toConstantValue(causalMask);
  bind(MaskStrategy).toConstantValue(bidirectionalMask);
  bind(MaskStrategy).toConstantValue(firstKMask);
  bind(MaskStrategy).toConstantValue(lastKMask);
  bind(MaskStrategy).toConstantValue(groupsMask);
  bind(MaskStrategy).toConstantValue(layersMask);
  bind(MaskStrategy).toConstantValue(middleMask);
  bind(MaskStrategy).toConstantValue(lookaheadMask);
});
