import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { bidirectional, causal, type LayerMaskSpec, loadRegistry, maskSpecsToString } from '@lookright/core';
import {
  BACKEND_NAMES,
  type BackendName,
  checkpointArchitecture,
  inspectEncoderHiddenStates,
  inspectHiddenStates,
  isBackendName,
} from '@lookright/engine';
import { resolveMaskArgument } from '@lookright/plugin-masks';
import { action } from '../run-command.js';

/** `--mask`: a 0/1 string with one character per layer (1 = bidirectional), or any mask argument a suite accepts. */
async function specsFor(mask: string, numLayers: number): Promise<LayerMaskSpec[]> {
  const text = mask.trim();
  if (/^[01]+$/.test(text) && text.length === numLayers)
    return [...text].map((c) => (c === '1' ? bidirectional : causal));
  const registry = await loadRegistry({ baseDir: process.cwd() });
  const ctx = { baseDir: process.cwd(), env: process.env, log: (line: string) => process.stderr.write(`${line}\n`) };
  const { strategy } = await resolveMaskArgument(text, registry, ctx);
  return strategy.layerSpecs(numLayers);
}

function parseBackend(value: string): BackendName {
  if (!isBackendName(value)) throw new InvalidArgumentError(`expected one of ${BACKEND_NAMES.join(', ')}`);
  return value;
}

/** `inspect hidden-states`: every decoder layer's output for given inputs, masks and adapter, as safetensors. */
export function register(program: Command): void {
  const inspect = program.command('inspect').description('look inside a model');
  inspect
    .command('hidden-states')
    .description(
      'write float32 hidden states for input_ids / attention_mask: last_hidden_state and layer_out.<i> of a decoder, ' +
        'last_hidden_state and hidden_states.<k> (+ pooler_output) of an encoder (BERT / RoBERTa)',
    )
    .requiredOption('--model <dir-or-repo>', 'checkpoint folder or Hugging Face repo id (org/name[@revision])')
    .requiredOption('--inputs <file>', 'safetensors with input_ids and attention_mask [B,S] (I32 or I64)')
    .requiredOption('--out <file>', 'safetensors file to write')
    .option('--mask <spec>', 'per-layer masks: 0/1 per layer (1 = bidirectional), a group pattern, or a mask plugin')
    .option('--adapter <dir>', 'PEFT LoRA adapter folder to apply')
    .option('--backend <name>', BACKEND_NAMES.join(' | '), parseBackend, 'auto' as BackendName)
    .action(
      action(async (opts) => {
        const mask = opts.mask;
        // encoders (BERT / RoBERTa) write HF's hidden_states.<k>; their masks must be bidirectional
        const { architecture } = await checkpointArchitecture(opts.model);
        const inspectModel = architecture === 'encoder' ? inspectEncoderHiddenStates : inspectHiddenStates;
        const result = await inspectModel({
          model: opts.model,
          inputs: opts.inputs,
          out: opts.out,
          adapter: opts.adapter,
          backend: opts.backend,
          resolveSpecs: mask ? (n) => specsFor(mask, n) : undefined,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        const masks = maskSpecsToString(result.specs);
        process.stdout.write(
          `${opts.out}: ${result.written.join(', ')} (masks ${masks}, backend ${result.backend.name})\n`,
        );
      }),
    );
}
