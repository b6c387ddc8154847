import { Container, type ContainerModule } from 'inversify';
import { type CreateOptions, createRegistered, type PluginCall } from './create-plugin.js';
import { errors } from './errors.js';
import { serviceIdOf } from './extension-points/index.js';
import type { PluginInstances } from './extension-points/instance-contracts.js';
import { ExtensionRegistry, type RegisteredPlugin } from './extension-registry.js';
import {
  type PluginContext,
  type PluginDescriptor,
  type PluginKind,
  type PluginOrigin,
  pluginKinds,
} from './plugin-descriptor.js';

/** A plugin package whose ContainerModule has been imported but not yet loaded. */
export interface PluginPackage {
  origin: PluginOrigin;
  module: ContainerModule;
}

/** One registry per extension point, filled from plugin packages' ContainerModules. */
export class PluginRegistry {
  private readonly registries = new Map<PluginKind, ExtensionRegistry>(
    pluginKinds.map((kind) => [kind, new ExtensionRegistry(kind)]),
  );

  /** Loads each package's module into its own container so every descriptor can be traced to its package. */
  static fromPackages(packages: readonly PluginPackage[]): PluginRegistry {
    const registry = new PluginRegistry();
    for (const pkg of packages) registry.addPackage(pkg);
    return registry;
  }

  addPackage(pkg: PluginPackage): void {
    const container = new Container();
    try {
      container.load(pkg.module);
    } catch (cause) {
      throw errors.pluginPackageInvalid(pkg.origin.packageName, `its ContainerModule failed to load: ${String(cause)}`);
    }
    for (const kind of pluginKinds) {
      for (const descriptor of container.getAll<PluginDescriptor>(serviceIdOf[kind], { optional: true })) {
        if (descriptor.kind !== kind) {
          throw errors.pluginPackageInvalid(
            pkg.origin.packageName,
            `descriptor ${descriptor.id} has kind ${descriptor.kind} but is bound as a ${kind} plugin`,
          );
        }
        this.of(kind).add({ descriptor, origin: pkg.origin });
      }
    }
  }

  of(kind: PluginKind): ExtensionRegistry {
    return this.registries.get(kind) as ExtensionRegistry;
  }

  /** Every plugin of every kind. */
  all(): RegisteredPlugin[] {
    return pluginKinds.flatMap((kind) => this.of(kind).all());
  }

  /** Looks an id up by its namespace; an unknown namespace or id suggests the nearest valid id. */
  get(id: string): RegisteredPlugin {
    const kind = id.slice(0, id.indexOf(':')) as PluginKind;
    if (!pluginKinds.includes(kind))
      throw errors.unknownPluginId(
        'any',
        id,
        this.all().map((p) => p.descriptor.id),
      );
    return this.of(kind).get(id);
  }

  /**
   * Creates the `kind` plugin `call.id` (see createRegistered): params validated with defaults filled, failures
   * inside the plugin named by id and package, the instance checked against the extension point and typed.
   */
  async create<K extends PluginKind>(
    kind: K,
    call: PluginCall,
    ctx: PluginContext,
    options?: CreateOptions,
  ): Promise<PluginInstances[K]> {
    return createRegistered(kind, this.of(kind).get(call.id), call, ctx, options);
  }
}
