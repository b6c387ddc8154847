import { InputTransform } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { reversePrefixInput } from './reverse-prefix.js';

export default new ContainerModule(({ bind }) => {
  bind(InputTransform).toConstantValue(reversePrefixInput);
});
