import assert from 'node:assert/strict';
import { ContainerModule } from 'inversify';
import { SuiteValidationError } from '../errors.js';
import { Backbone, DatasetSource, Head, MaskStrategy } from '../extension-points/index.js';
import type { PluginDescriptor, PluginKind } from '../plugin-descriptor.js';
import { PluginRegistry } from '../plugin-registry.js';
import { validateSuiteText } from './validate-suite.js';

const descriptor = (
  id: string,
  kind: PluginKind,
  paramsSchema: object,
  roles: Pick<PluginDescriptor, 'shorthands' | 'isDefault'> = {},
): PluginDescriptor => ({
  id,
  kind,
  summary: id,
  paramsSchema,
  create: () => ({}),
  ...roles,
});

const registry = PluginRegistry.fromPackages([
  {
    origin: { packageName: 'test-plugins', packageVersion: '1.0.0', packageDir: '/x' },
    module: new ContainerModule(({ bind }) => {
      bind(MaskStrategy).toConstantValue(
        descriptor('mask:causal', 'mask', { type: 'object', additionalProperties: false }),
      );
      bind(MaskStrategy).toConstantValue(
        descriptor(
          'mask:groups',
          'mask',
          {
            type: 'object',
            additionalProperties: false,
            required: ['pattern'],
            properties: { pattern: { type: 'string', pattern: '^[01]+$' } },
          },
          { shorthands: { text: { match: '^[01]+$', param: 'pattern' }, grid: { param: 'pattern' } } },
        ),
      );
      bind(MaskStrategy).toConstantValue(
        descriptor('mask:first-k', 'mask', {
          type: 'object',
          additionalProperties: false,
          required: ['k'],
          properties: { k: { type: 'integer', minimum: 0 } },
        }),
      );
      bind(MaskStrategy).toConstantValue(
        descriptor('mask:layers', 'mask', {
          type: 'object',
          additionalProperties: false,
          properties: {
            layers: {
              oneOf: [
                { type: 'string', description: 'ranges such as "0-7,24-31"' },
                { type: 'array', items: { type: 'integer' } },
              ],
            },
          },
        }),
      );
      bind(Backbone).toConstantValue(
        descriptor('backbone:llama', 'backbone', {
          type: 'object',
          additionalProperties: false,
          required: ['model'],
          properties: { model: { type: 'string' } },
        }),
      );
      bind(Backbone).toConstantValue(
        descriptor('backbone:bert', 'backbone', {
          type: 'object',
          additionalProperties: false,
          properties: { model: { type: 'string' }, pretrain: { type: 'object' } },
          oneOf: [{ required: ['model'] }, { required: ['pretrain'] }],
        }),
      );
      bind(DatasetSource).toConstantValue(descriptor('dataset:conll2003', 'dataset', { type: 'object' }));
      bind(Head).toConstantValue(descriptor('head:linear', 'head', { type: 'object' }, { isDefault: true }));
    }),
  },
]);

const validSuite = `name: demo
axes:
  backbone:
    - id: backbone:llama
      params: { model: ./tiny }
  mask:
    - mask:causal
    - "0101"
    - { grid: { groups: 2 } }
    - id: mask:first-k
      params: { k: 2 }
  dataset: [dataset:conll2003]
  seed: [1, 2]
`;

function problemsOf(text: string) {
  try {
    validateSuiteText('suite.yaml', text, registry);
  } catch (error) {
    assert.ok(error instanceof SuiteValidationError, String(error));
    return error.problems;
  }
  assert.fail('expected the suite to be refused');
}

describe('suite validation', () => {
  it('accepts a valid suite, expands shorthands and fills defaults', () => {
    const suite = validateSuiteText('suite.yaml', validSuite, registry);
    assert.deepEqual(suite.axes.mask[0], { id: 'mask:causal' });
    assert.deepEqual(suite.axes.mask[1], { id: 'mask:groups', params: { pattern: '0101' } });
    assert.equal(suite.recipe.learningRate, 2e-4);
    assert.deepEqual(suite.recipe.betas, [0.9, 0.95]);
    assert.deepEqual(suite.axes.head, [{ id: 'head:linear' }]);
  });

  it('locates an unknown plugin id and suggests the nearest', () => {
    const [problem] = problemsOf(validSuite.replace('- mask:causal', '- mask:casual'));
    assert.equal(problem.line, 7);
    assert.equal(problem.path, '/axes/mask/0/id');
    assert.match(problem.expected, /did you mean mask:causal\?/);
    assert.equal(problem.found, '"mask:casual"');
  });

  it('locates a wrong param type with line and column', () => {
    const [problem] = problemsOf(validSuite.replace('params: { k: 2 }', 'params: { k: two }'));
    assert.equal(problem.line, 11);
    assert.equal(problem.path, '/axes/mask/3/params/k');
    assert.match(problem.expected, /integer/);
    assert.equal(problem.found, '"two"');
    assert.ok(problem.column > 1);
  });

  it('refuses an unknown key, naming it and the nearest valid key', () => {
    const problems = problemsOf(validSuite.replace('  seed: [1, 2]', '  seed: [1, 2]\n  seeds: [3]'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 14);
    assert.match(problems[0].found, /unknown key seeds/);
    assert.match(problems[0].expected, /did you mean seed\?/);
  });

  it('refuses unknown recipe keys and values out of range', () => {
    const problems = problemsOf(`${validSuite}recipe:\n  learningrate: 0.1\n  epochs: 0\n`);
    const paths = problems.map((p) => p.path).sort();
    assert.deepEqual(paths, ['/recipe/epochs', '/recipe/learningrate']);
    assert.equal(problems.find((p) => p.path === '/recipe/epochs')?.line, 16);
  });

  it('names the accepted forms of a oneOf the value matches no branch of (lora: true)', () => {
    const problems = problemsOf(`${validSuite}recipe:\n  lora: true\n`);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, '/recipe/lora');
    assert.equal(problems[0].line, 15);
    assert.equal(problems[0].expected, 'false, or an object with keys r, alpha, dropout, targets');
    assert.equal(problems[0].found, 'true');
  });

  it('keeps only the errors of the oneOf branch whose shape the value has', () => {
    const inRange = problemsOf(`${validSuite}recipe:\n  lora: { r: 0 }\n`);
    assert.deepEqual(
      inRange.map((p) => [p.path, p.expected]),
      [['/recipe/lora/r', 'a value that must be >= 1']],
    );
    const unknownKey = problemsOf(`${validSuite}recipe:\n  lora: { rr: 8 }\n`);
    assert.deepEqual(
      unknownKey.map((p) => p.found),
      ['unknown key rr'],
    );
  });

  it('describes each branch of a plugin param oneOf from its schema', () => {
    const problems = problemsOf(validSuite.replace('- mask:causal', '- { id: mask:layers, params: { layers: 3 } }'));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, '/axes/mask/0/params/layers');
    assert.equal(problems[0].expected, 'a string (ranges such as "0-7,24-31"), or a list');
    assert.equal(problems[0].found, '3');
  });

  it('names the keys of a oneOf the value matches several branches of (model and pretrain together)', () => {
    const problems = problemsOf(
      validSuite
        .replace('id: backbone:llama', 'id: backbone:bert')
        .replace('{ model: ./tiny }', '{ model: ./tiny, pretrain: {} }'),
    );
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, '/axes/backbone/0/params');
    assert.equal(problems[0].line, 5);
    assert.equal(problems[0].expected, 'only one of key model, or key pretrain');
    assert.match(problems[0].found, /^key model and key pretrain together/);
  });

  it('reports YAML syntax errors with their line', () => {
    assert.throws(
      () => validateSuiteText('suite.yaml', 'name: x\naxes: [\n', registry),
      /suite\.yaml:3:1: not valid YAML/,
    );
  });

  it('refuses a missing required axis', () => {
    const [problem] = problemsOf(
      'name: x\naxes:\n  backbone: [{ id: backbone:llama, params: { model: m } }]\n  mask: [mask:causal]\n',
    );
    assert.equal(problem.path, '/axes');
    assert.match(problem.expected, /key dataset/);
  });
});
