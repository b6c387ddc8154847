import { InputTransform } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { identityInput } from './identity.js';
import { repeatInput } from './repeat.js';

export default new ContainerModule(({ bind }) => {
  bind(InputTransform).toConstantValue(identityInput);
  bind(InputTransform).toConstantValue(repeatInput);
});
