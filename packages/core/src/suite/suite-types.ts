import type { Recipe } from './recipe-schema.js';

/** A reference to a plugin with its params, after shorthand expansion and defaults. */
export interface PluginRef {
  id: string;
  /** Label in tables; defaults to the id plus params. */
  name?: string;
  params?: Record<string, unknown>;
}

export interface MaskGrid {
  grid: { groups: number };
}

export interface CellFilter {
  backbone?: string;
  mask?: string;
  dataset?: string;
  head?: string;
  seed?: number;
}

/** A validated suite (the JSON schema in suite-schema.ts is the source of truth; this mirrors its shape). */
export interface Suite {
  name: string;
  description?: string;
  plugins?: string[];
  recipe: Recipe;
  axes: {
    backbone: PluginRef[];
    mask: (PluginRef | MaskGrid)[];
    dataset: PluginRef[];
    head: PluginRef[];
    seed: number[];
  };
  include?: CellFilter[];
  exclude?: CellFilter[];
  overrides?: { when: CellFilter; recipe: Partial<Recipe> }[];
  trackers?: PluginRef[];
}
