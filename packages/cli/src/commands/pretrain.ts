import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { architectureSizes, defaultPretrainConfig, pretrain, type SizeName } from '@lookright/train';
import { action } from '../run-command.js';

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function sizeName(value: string): SizeName {
  if (!(value in architectureSizes))
    throw new InvalidArgumentError(`expected one of ${Object.keys(architectureSizes).join(', ')}`);
  return value as SizeName;
}

/** `pretrain`: a model from scratch on plain text (tokenizer + weights), saved as an HF checkpoint folder. */
export function register(program: Command): void {
  program
    .command('pretrain')
    .description(
      'pre-train a small model from scratch on a folder of .txt files; writes config.json, model.safetensors, tokenizer.json',
    )
    .requiredOption('--data <dir>', 'folder of plain-text files (e.g. shared/data/gutenberg_nltk)')
    .requiredOption('-o, --output <dir>', 'checkpoint folder to write')
    .option('--objective <clm|mlm>', 'clm: causal Llama decoder; mlm: BERT encoder of equal parameter count', 'clm')
    .option(
      '--size <name>',
      `architecture size (${Object.keys(architectureSizes).join(', ')})`,
      sizeName,
      defaultPretrainConfig.size,
    )
    .option('--steps <n>', 'optimiser steps', positive, defaultPretrainConfig.steps)
    .option('--batch-size <n>', 'windows per step', positive, defaultPretrainConfig.batchSize)
    .option('--seq-len <n>', 'tokens per window', positive, defaultPretrainConfig.seqLen)
    .option('--lr <rate>', 'peak learning rate (cosine, 5% warm-up)', positive, defaultPretrainConfig.learningRate)
    .option('--max-chars <n>', 'characters of text to read', positive, defaultPretrainConfig.maxChars)
    .option('--seed <n>', 'seed of init and window sampling', positive, defaultPretrainConfig.seed)
    .action(
      action(async (opts) => {
        if (opts.objective !== 'clm' && opts.objective !== 'mlm') throw new InvalidArgumentError('expected clm or mlm');
        await pretrain({
          ...defaultPretrainConfig,
          objective: opts.objective,
          size: opts.size,
          steps: opts.steps,
          batchSize: opts.batchSize,
          seqLen: opts.seqLen,
          learningRate: opts.lr,
          maxChars: opts.maxChars,
          seed: opts.seed,
          dataDir: resolve(opts.data),
          output: resolve(opts.output),
        });
      }),
    );
}
