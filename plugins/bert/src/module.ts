import { Backbone } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { bertBackbone } from './bert-backbone.js';

export default new ContainerModule(({ bind }) => {
  bind(Backbone).toConstantValue(bertBackbone);
});
