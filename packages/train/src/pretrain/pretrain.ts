import '@lookright/engine/stock-gradients';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { replaceTrainingOps, selectBackend } from '@lookright/engine';
import { enableNative, nativeTrainingOps } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';
import { trainErrors } from '../errors.js';
import { AdamW } from '../optim/adamw.js';
import { lossGradients, optimiserStep } from '../optim/optimiser-step.js';
import { learningRateAt, warmupStepsFor } from '../optim/schedule.js';
import { rngStreams, SeededRng } from '../rng.js';
import { architectureSizes, type SizeName } from './architecture.js';
import { auditPretrained, type PretrainedAudit } from './audit-pretrained.js';
import { countPreTokens } from './byte-level.js';
import { writeCheckpointFolder } from './decoder-checkpoint.js';
import { causalDecoder, maskedEncoder } from './objective-model.js';
import { consecutiveWindows, encodeTexts, randomWindows, readTextFolder } from './token-corpus.js';
import { byteLevelTokenizerJson, SPECIAL_TOKENS, specialTokenId } from './tokenizer-json.js';
import { trainBpe } from './train-bpe.js';

/** One from-scratch pre-training run. */
export interface PretrainConfig {
  objective: 'clm' | 'mlm';
  size: SizeName;
  steps: number;
  batchSize: number;
  /** Tokens per training window. */
  seqLen: number;
  learningRate: number;
  warmupRatio: number;
  seed: number;
  /** Folder of plain-text files (e.g. gutenberg_nltk). */
  dataDir: string;
  /** Characters read from the folder (files in name order); the last 5% of tokens are held out. */
  maxChars: number;
  /** The HF checkpoint folder written at the end. */
  output: string;
  logEvery: number;
}

export const defaultPretrainConfig: Omit<PretrainConfig, 'objective' | 'dataDir' | 'output'> = {
  size: 'tiny',
  steps: 300,
  batchSize: 16,
  seqLen: 64,
  learningRate: 3e-3,
  warmupRatio: 0.05,
  seed: 1,
  maxChars: 2_000_000,
  logEvery: 25,
};

/** What a pre-training run reports (also written to `<output>/pretrain.json`). */
export interface PretrainResult {
  objective: 'clm' | 'mlm';
  parameters: number;
  losses: { step: number; loss: number }[];
  validationLoss: { before: number; after: number };
  /** The written checkpoint's mask audit: every layer causal (clm) or bidirectional (mlm), as observed. */
  maskAudit: PretrainedAudit;
  /** Token windows and the trained model's logits on them (first 64 values), to check a reload against. */
  probe: { windows: number[][]; logits: number[] };
  trainTokens: number;
  seconds: number;
  output: string;
}

/** What a caller may watch and stop in a pre-training run (the harness's pre-training cells do both). */
export interface PretrainHooks {
  /** Called after each optimiser step with its training loss. */
  onStep?(step: number, loss: number): void;
  /** Checked before each step; when true the run throws PRETRAIN_CANCELLED and writes nothing more. */
  isCancelled?(): boolean;
}

/**
 * Trains a byte-level BPE tokenizer on the corpus, initialises a model of the given size (clm: Llama decoder; mlm:
 * BERT encoder + MLM head with the decoder's parameter count), writes it as an HF checkpoint, loads it back through
 * the engine's loader, trains it (clm: next token; mlm: 15% of tokens, 80/10/10), and writes the trained checkpoint
 * (config.json, model.safetensors, tokenizer.json) to `output`.
 */
export async function pretrain(
  config: PretrainConfig,
  log: (line: string) => void = console.log,
  hooks: PretrainHooks = {},
): Promise<PretrainResult> {
  const started = performance.now();
  const backend = await selectBackend('wasm');
  const native = enableNative({ log });
  log(`backend: ${backend.name}${native.enabled ? ' + native kernels' : ''}`);
  // the engine's ops are process-wide: use the native kernels for this run only
  const restoreOps = native.enabled ? replaceTrainingOps(nativeTrainingOps()) : () => {};
  try {
    return await pretrainOnBackend(config, log, started, hooks);
  } finally {
    restoreOps();
  }
}

/** pretrain after the backend and kernels are chosen. */
async function pretrainOnBackend(
  config: PretrainConfig,
  log: (line: string) => void,
  started: number,
  hooks: PretrainHooks,
): Promise<PretrainResult> {
  const size = architectureSizes[config.size];
  const streams = rngStreams(config.seed);

  const texts = readTextFolder(config.dataDir, config.maxChars);
  const counts = new Map<string, number>();
  for (const t of texts) countPreTokens(t.text, counts);
  const bpe = trainBpe(counts, size.vocabSize - 256 - SPECIAL_TOKENS.length);
  const tokenizerJson = byteLevelTokenizerJson(bpe);
  const tokenizer = new Tokenizer(tokenizerJson, {});
  const eos = specialTokenId(bpe, '<|endoftext|>');
  const tokens = encodeTexts(
    tokenizer,
    texts.map((t) => t.text),
    eos,
  );
  const split = Math.floor(tokens.length * 0.95);
  const train = tokens.subarray(0, split);
  const held = tokens.subarray(split);
  log(
    `tokenizer: byte-level BPE, ${bpe.vocab.size + SPECIAL_TOKENS.length} ids; ${tokens.length} tokens from ${texts.length} file(s)`,
  );

  const vocabSize = bpe.vocab.size + SPECIAL_TOKENS.length;
  const arch = { ...size, vocabSize };
  const tokenIds = {
    eos,
    pad: specialTokenId(bpe, '<pad>'),
    mask: specialTokenId(bpe, '<mask>'),
    regularVocab: bpe.vocab.size,
  };
  const build = config.objective === 'clm' ? causalDecoder : maskedEncoder;
  const model = await build(config.output, arch, tokenIds, tokenizerJson, streams.init);
  const variables = model.variables();
  log(`model: ${model.description}, ${model.parameters} parameters`);

  // CLM windows carry one extra token (the last target); MLM windows are the sequence itself.
  const windowLength = config.objective === 'clm' ? config.seqLen + 1 : config.seqLen;
  const validation = consecutiveWindows(held, windowLength, 32);
  const validationLoss = async () => {
    const loss = tf.tidy(() => model.loss(validation, new SeededRng(config.seed + 1), null));
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
  const before = await validationLoss();
  const optimizer = new AdamW(variables, { betas: [0.9, 0.95], eps: 1e-8, weightDecay: 0.1 });
  const schedule = {
    kind: 'cosine' as const,
    baseRate: config.learningRate,
    totalSteps: config.steps,
    warmupSteps: warmupStepsFor(config.warmupRatio, config.steps),
  };
  const losses: { step: number; loss: number }[] = [];
  for (let step = 0; step < config.steps; step++) {
    if (hooks.isCancelled?.()) {
      optimizer.dispose();
      model.dispose();
      throw trainErrors.pretrainCancelled(step);
    }
    const windows = randomWindows(train, config.batchSize, windowLength, streams.shuffle);
    const dropoutSeed = streams.dropout.nextUint32();
    const { loss: lossTensor, grads } = lossGradients(variables, () =>
      model.loss(windows, streams.dropout, dropoutSeed),
    );
    const loss = (await lossTensor.data())[0];
    lossTensor.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(grads);
      throw trainErrors.nonFiniteLoss(step + 1, loss);
    }
    optimiserStep(optimizer, grads, 1.0, learningRateAt(schedule, step)).dispose();
    losses.push({ step: step + 1, loss });
    hooks.onStep?.(step + 1, loss);
    if ((step + 1) % config.logEvery === 0 || step + 1 === config.steps)
      log(`step ${step + 1}/${config.steps} loss ${loss.toFixed(4)}`);
  }
  const after = await validationLoss();
  const probeWindows = validation.slice(0, 2);
  const probeLogits = model.logits(probeWindows);
  const probe = { windows: probeWindows, logits: Array.from((await probeLogits.data()).subarray(0, 64)) };
  probeLogits.dispose();
  writeCheckpointFolder(config.output, model.config, model.tensors(), tokenizerJson);
  optimizer.dispose();
  model.dispose();
  const maskAudit = await auditPretrained(config.output, config.objective, log);
  const result: PretrainResult = {
    objective: config.objective,
    parameters: model.parameters,
    losses,
    validationLoss: { before, after },
    probe,
    maskAudit,
    trainTokens: config.steps * config.batchSize * config.seqLen,
    seconds: (performance.now() - started) / 1000,
    output: config.output,
  };
  writeFileSync(join(config.output, 'pretrain.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`validation loss ${before.toFixed(3)} -> ${after.toFixed(3)}; ${config.output}`);
  return result;
}
