import { DatasetSource } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { absa } from './descriptors/absa.js';
import { conll } from './descriptors/conll.js';
import { conll2000 } from './descriptors/conll2000.js';
import { conll2003 } from './descriptors/conll2003.js';
import { hub } from './descriptors/hub.js';
import { synthetic } from './descriptors/synthetic.js';
import { ud } from './descriptors/ud.js';

export default new ContainerModule(({ bind }) => {
  bind(DatasetSource).toConstantValue(conll2003);
  bind(DatasetSource).toConstantValue(conll2000);
  bind(DatasetSource).toConstantValue(ud);
  bind(DatasetSource).toConstantValue(absa);
  bind(DatasetSource).toConstantValue(conll);
  bind(DatasetSource).toConstantValue(hub);
  bind(DatasetSource).toConstantValue(synthetic);
});
