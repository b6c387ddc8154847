import { definePlugin, type InputTransform } from '@lookright/core';

/** Params of `input:identity`: none. */
export const identityParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** The sentence as tokenized, labels where alignment put them: the behaviour without an `input` axis. */
export const identityInput = definePlugin<InputTransform, typeof identityParams>({
  id: 'input:identity',
  kind: 'input',
  summary: 'the sentence as tokenized (the default)',
  isDefault: true,
  paramsSchema: identityParams,
  create() {
    return {
      label: 'identity',
      context: 'as-masked',
      expandedLength: (n) => n,
      apply: ({ ids, positions }) => ({ ids: [...ids], positions: [...positions], sources: ids.map((_, i) => i) }),
    };
  },
});
