import { errors, PluginError } from './errors.js';
import {
  contractViolation,
  fitsContract,
  instanceContracts,
  type PluginInstances,
} from './extension-points/instance-contracts.js';
import type { RegisteredPlugin } from './extension-registry.js';
import { checkParams, type ParamsProblem } from './params-validation.js';
import type { PluginContext, PluginKind } from './plugin-descriptor.js';

/** Which plugin to create: its id and params as written (defaults are filled in before `create` sees them). */
export interface PluginCall {
  id: string;
  params?: Readonly<Record<string, unknown>>;
}

/** How a caller reports params that do not fit the schema, when it has a more precise error (file, line, flag). */
export interface CreateOptions {
  invalidParams?: (problems: ParamsProblem[]) => Error;
}

/**
 * The one way a plugin is created: params validated against the plugin's schema with defaults filled, `create`
 * called, anything it throws re-raised as a PluginError naming the plugin and its package, and the instance
 * checked against the extension point's contract before it is returned typed.
 */
export async function createRegistered<K extends PluginKind>(
  kind: K,
  entry: RegisteredPlugin,
  call: PluginCall,
  ctx: PluginContext,
  options: CreateOptions = {},
): Promise<PluginInstances[K]> {
  const { descriptor, origin } = entry;
  const checked = checkParams(descriptor.paramsSchema, call.params ?? {});
  if (!checked.ok) {
    throw (
      options.invalidParams?.(checked.problems) ??
      errors.pluginParamsInvalid(descriptor.id, origin.packageName, checked.problems)
    );
  }
  let instance: unknown;
  try {
    instance = await descriptor.create(checked.params, ctx);
  } catch (cause) {
    throw new PluginError(descriptor.id, origin.packageName, 'create', cause);
  }
  if (!fitsContract(kind, instance)) {
    const violation = contractViolation(kind, instance) ?? '';
    throw errors.pluginWrongShape(descriptor.id, origin.packageName, instanceContracts[kind].name, violation);
  }
  return instance;
}
