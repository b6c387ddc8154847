import { Head } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { headCrf } from './head-crf.js';
import { headLinear } from './head-linear.js';

export default new ContainerModule(({ bind }) => {
  bind(Head).toConstantValue(headLinear);
  bind(Head).toConstantValue(headCrf);
});
