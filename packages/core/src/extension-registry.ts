import { errors } from './errors.js';
import type { PluginDescriptor, PluginKind, PluginOrigin } from './plugin-descriptor.js';

/** A descriptor together with the package it came from. */
export interface RegisteredPlugin {
  descriptor: PluginDescriptor;
  origin: PluginOrigin;
}

/** What a plugin can be for its kind besides itself: the default, or the owner of a suite shorthand. */
export type PluginRole = 'default' | 'text shorthand' | 'grid shorthand';

function rolesOf(descriptor: PluginDescriptor): PluginRole[] {
  const roles: PluginRole[] = [];
  if (descriptor.isDefault) roles.push('default');
  if (descriptor.shorthands?.text) roles.push('text shorthand');
  if (descriptor.shorthands?.grid) roles.push('grid shorthand');
  return roles;
}

/** All descriptors contributed to one extension point, in load order (Theia's contribution provider). */
export class ExtensionRegistry {
  private readonly byId = new Map<string, RegisteredPlugin>();

  constructor(readonly kind: PluginKind) {}

  /** Adds a plugin; a second plugin with the same id is an error naming both packages. */
  add(entry: RegisteredPlugin): void {
    const id = entry.descriptor.id;
    if (!new RegExp(`^${this.kind}:[a-z0-9][a-z0-9-]*$`).test(id)) {
      throw errors.badPluginId(id, this.kind, entry.origin.packageName);
    }
    const existing = this.byId.get(id);
    if (existing) throw errors.duplicatePluginId(id, existing.origin.packageName, entry.origin.packageName);
    for (const role of rolesOf(entry.descriptor)) {
      const holder = this.owner(role);
      if (holder) throw errors.duplicatePluginRole(this.kind, role, holder.descriptor.id, id, entry.origin.packageName);
    }
    this.byId.set(id, entry);
  }

  /** Every plugin of this kind; empty when none is installed. */
  all(): RegisteredPlugin[] {
    return [...this.byId.values()];
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The plugin of this kind that is the default, or owns the text or grid shorthand; undefined when none does. */
  owner(role: PluginRole): RegisteredPlugin | undefined {
    return this.all().find(({ descriptor: d }) =>
      role === 'default' ? d.isDefault : role === 'text shorthand' ? d.shorthands?.text : d.shorthands?.grid,
    );
  }

  /** The plugin with this id, or an error that suggests the nearest known id. */
  get(id: string): RegisteredPlugin {
    const entry = this.byId.get(id);
    if (!entry) throw errors.unknownPluginId(this.kind, id, this.ids());
    return entry;
  }
}
