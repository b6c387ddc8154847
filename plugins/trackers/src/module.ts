import { Tracker } from '@lookright/core';
import { ContainerModule } from 'inversify';
import { mlflowTrackerPlugin } from './mlflow-tracker-plugin.js';

export default new ContainerModule(({ bind }) => {
  bind(Tracker).toConstantValue(mlflowTrackerPlugin);
});
