import { Backbone } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { llamaBackbone } from './llama-backbone.js';

export default new ContainerModule(({ bind }) => {
  bind(Backbone).toConstantValue(llamaBackbone);
});
