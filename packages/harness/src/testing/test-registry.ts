import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  Backbone,
  DatasetSource,
  Head,
  InputTransform,
  MaskStrategy,
  type PluginContext,
  type PluginDescriptor,
  PluginRegistry,
  type TaggedCorpus,
} from '@lookright/core';
import { ContainerModule } from 'inversify';

/**
 * Small plugins for the harness's own tests, registered through the real registry. The dataset one reads a real
 * file and reports its real sha256, the way dataset plugins do, so fingerprints are computed, not invented.
 */
type Params = Record<string, string & number>;

/** Plain descriptors: the schemas are data here, params are read as the strings and numbers the schemas allow. */
function descriptor(d: PluginDescriptor<unknown, Params>): PluginDescriptor {
  return d as PluginDescriptor;
}

const groupsMask = descriptor({
  id: 'mask:groups',
  kind: 'mask',
  summary: 'test: on/off per layer group',
  shorthands: { text: { match: '^[01]+$', param: 'pattern' }, grid: { param: 'pattern' } },
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['pattern'],
    properties: { pattern: { type: 'string', pattern: '^[01]+$' } },
  },
  create: (params: Params) => ({ label: `groups:${params.pattern}`, layerSpecs: () => [] }),
});

const causalMask = descriptor({
  id: 'mask:causal',
  kind: 'mask',
  summary: 'test: causal',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({ label: 'causal', layerSpecs: () => [] }),
});

const firstKMask = descriptor({
  id: 'mask:first-k',
  kind: 'mask',
  summary: 'test: first k layers bidirectional',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { k: { type: 'integer', minimum: 0, default: 1 } },
  },
  create: (params: Params) => ({ label: `first-k:${params.k}`, layerSpecs: () => [] }),
});

const faultMask = descriptor({
  id: 'mask:test-fault',
  kind: 'mask',
  summary: 'test: makes the test cell runner misbehave',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['fault'],
    properties: { fault: { enum: ['throw', 'crash', 'hog', 'hang'] } },
  },
  create: (params: Params) => ({ label: `fault:${params.fault}`, layerSpecs: () => [] }),
});

const tinyBackbone = descriptor({
  id: 'backbone:tiny',
  kind: 'backbone',
  summary: 'test: a backbone by path',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string' },
      dtype: { enum: ['float32'], default: 'float32' },
      pretrain: { type: 'object', description: 'a pre-training recipe (see pretrainParamSchema), not checked here' },
    },
  },
  create: (params: Params) => ({
    architecture: 'decoder' as const,
    modelDir: params.path,
    numLayers: 2,
    checkMasks: () => null,
    load: () => Promise.reject(new Error('backbone:tiny has no weights: it serves expansion and scheduling tests')),
  }),
});

const linesDataset = descriptor({
  id: 'dataset:lines',
  kind: 'dataset',
  summary: 'test: one sentence per line, word/TAG tokens',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['file'],
    properties: { file: { type: 'string' } },
  },
  create: (params: Params, ctx: PluginContext) => ({
    load: async (): Promise<TaggedCorpus> => {
      const path = resolve(ctx.baseDir, params.file);
      const bytes = readFileSync(path);
      const sentences = bytes
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => {
          const pairs = l
            .trim()
            .split(/\s+/)
            .map((t) => t.split('/'));
          return { words: pairs.map((p) => p[0]), tags: pairs.map((p) => p[1] ?? 'O') };
        });
      return {
        name: 'lines',
        scheme: 'iob2' as const,
        labels: [...new Set(sentences.flatMap((s) => s.tags))],
        splits: { train: sentences },
        files: [{ path, sha256: createHash('sha256').update(bytes).digest('hex') }],
        warnings: [],
      };
    },
  }),
});

const linearHead = descriptor({
  id: 'head:linear',
  kind: 'head',
  summary: 'test: linear head',
  isDefault: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({
    type: 'linear',
    build: () => {
      throw new Error('the test head:linear has no tensors: it serves expansion and scheduling tests');
    },
  }),
});

const identityInput = descriptor({
  id: 'input:identity',
  kind: 'input',
  summary: 'test: the sentence as tokenized',
  isDefault: true,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  create: () => ({
    label: 'identity',
    context: 'as-masked',
    expandedLength: (n: number) => n,
    apply: (x: unknown) => x,
  }),
});

const repeatInput = descriptor({
  id: 'input:repeat',
  kind: 'input',
  summary: 'test: the sentence r times',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { r: { type: 'integer', minimum: 2, default: 2 } },
  },
  create: (params: Params) => ({
    label: `repeat:r${params.r}`,
    context: 'whole-sentence',
    expandedLength: (n: number, specials: number) => specials + params.r * (n - specials),
    apply: (x: unknown) => x,
  }),
});

/**
 * A registry holding the test plugins, as package `@lookright/harness-test-plugins` at `version`; with
 * `inputsPackage`, `input:repeat` comes from that package instead (so cells with and without it need different
 * packages).
 */
export function testRegistry(
  version = '1.0.0',
  opts: { inputsPackage?: { name: string; version: string } } = {},
): PluginRegistry {
  const inputs = opts.inputsPackage ? [identityInput] : [identityInput, repeatInput];
  const module = new ContainerModule(({ bind }) => {
    for (const d of [groupsMask, causalMask, firstKMask, faultMask]) bind(MaskStrategy).toConstantValue(d);
    bind(Backbone).toConstantValue(tinyBackbone);
    bind(DatasetSource).toConstantValue(linesDataset);
    bind(Head).toConstantValue(linearHead);
    for (const d of inputs) bind(InputTransform).toConstantValue(d);
  });
  const own = { packageName: '@lookright/harness-test-plugins', packageVersion: version, packageDir: '.' };
  const extra = opts.inputsPackage && {
    origin: { packageName: opts.inputsPackage.name, packageVersion: opts.inputsPackage.version, packageDir: '.' },
    module: new ContainerModule(({ bind }) => void bind(InputTransform).toConstantValue(repeatInput)),
  };
  return PluginRegistry.fromPackages([{ origin: own, module }, ...(extra ? [extra] : [])]);
}
