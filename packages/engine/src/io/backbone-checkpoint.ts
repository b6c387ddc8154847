import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readCheckpointConfig } from './checkpoint-weights.js';
import { type ModelSource, resolveModelSource } from './model-source.js';

/** The params of every checkpoint backbone plugin: `model` (a folder or a hub repo id) and a hub `revision`. */
export const checkpointParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['model'],
  properties: {
    model: { type: 'string', minLength: 1, description: 'checkpoint folder, or hub repo id org/name' },
    revision: { type: 'string', minLength: 1, description: 'hub branch, tag or commit (repo ids only)' },
  },
} as const;

/**
 * A backbone's `model` param as a spec for resolveModelSource: a folder (absolute, or relative to `baseDir`, the
 * suite's folder) when it holds config.json, else a hub repo id with `@revision` when one is given.
 */
export function checkpointSpec(model: string, revision: string | undefined, baseDir: string): string {
  const local = isAbsolute(model) ? model : resolve(baseDir, model);
  if (existsSync(join(local, 'config.json'))) return local;
  return revision ? `${model}@${revision}` : model;
}

/** A backbone's checkpoint resolved to a local folder (the hub cache for repo ids), with its config.json read. */
export interface BackboneCheckpoint {
  source: ModelSource;
  /** config.json as read; the backbone parses it. */
  rawConfig: Record<string, unknown>;
  configFile: string;
}

/** Resolves a backbone plugin's {model, revision} params (see checkpointParamsSchema) in a plugin context. */
export async function resolveBackboneCheckpoint(
  params: { model: string; revision?: string },
  ctx: { baseDir: string; env: Readonly<Record<string, string | undefined>>; log: (line: string) => void },
): Promise<BackboneCheckpoint> {
  const source = await resolveModelSource(checkpointSpec(params.model, params.revision, ctx.baseDir), {
    env: ctx.env as NodeJS.ProcessEnv,
    onNotice: ctx.log,
  });
  return { source, rawConfig: readCheckpointConfig(source.dir), configFile: join(source.dir, 'config.json') };
}
