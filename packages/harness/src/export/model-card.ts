import type { ExportManifest } from '@lookright/train';
import type { StoredCell } from '../store/store-queries.js';

const MASK_NAMES: Record<string, string> = { '0': 'causal', '1': 'bidirectional', w: 'window' };

function yamlString(value: string): string {
  return JSON.stringify(value);
}

function percent(value: number | undefined): string {
  return value === undefined ? '–' : (value * 100).toFixed(2);
}

/** The card's base model section: the checkpoint, or the model the export carries (made from a config). */
function baseModelSection(manifest: ExportManifest): string[] {
  const plugin = `${manifest.backbone.id}${manifest.backbone.params ? ` ${JSON.stringify(manifest.backbone.params)}` : ''}`;
  const included = manifest.includedBaseModel;
  if (!included) return [`\`${manifest.baseModel}\` (${plugin})`];
  return [
    `The base model is included in \`${included.folder}/\` (config.json, model.safetensors, tokenizer.json;`,
    `\`base_model_name_or_path\` names that folder, relative to this one). It is not a pretrained checkpoint: lookright`,
    `made it from a config (${plugin}) with random initialisation drawn from seed ${manifest.seed}, and its word-level`,
    "tokenizer's vocabulary is the training split's words. The LoRA adapter and head were trained on top of it.",
  ];
}

/**
 * README.md of an export, a Hugging Face model card: YAML front matter (base_model, except for a base model the
 * export carries, which has no hub id; library_name: peft, tags), then base model, the mask of every layer, data,
 * scores, seed and the command that made the cell.
 */
export function modelCard(cell: StoredCell, manifest: ExportManifest): string {
  const { labels, metrics, config } = cell;
  const title = `${labels.backbone} × ${labels.mask} × ${labels.input === undefined ? '' : `${labels.input} × `}${labels.dataset} × ${labels.head} × seed ${labels.seed}`;
  const front = [
    '---',
    ...(manifest.includedBaseModel ? [] : [`base_model: ${yamlString(manifest.baseModel)}`]),
    'library_name: peft',
    'pipeline_tag: token-classification',
    'tags:',
    '- lookright',
    '- lora',
    '- token-classification',
    `- ${yamlString(manifest.mask.id)}`,
    `- ${yamlString(manifest.dataset.id)}`,
    '---',
  ];
  const layers = [...manifest.masks].map((c, i) => `| ${i} | ${MASK_NAMES[c] ?? c} |`);
  const splits = (['dev', 'test'] as const).filter((s) => `${s}.f1` in metrics);
  const scores = splits.map(
    (s) =>
      `| ${s} | ${percent(metrics[`${s}.precision`])} | ${percent(metrics[`${s}.recall`])} | ${percent(metrics[`${s}.f1`])} | ${percent(metrics[`${s}.accuracy`])} |`,
  );
  const perType = Object.keys(metrics)
    .filter((k) => /^test\.per_type\..+\.f1$/.test(k))
    .map((k) => `| ${k.slice('test.per_type.'.length, -'.f1'.length)} | ${percent(metrics[k])} |`);
  const lora = manifest.recipe.lora;
  const loraLine = lora
    ? `r ${lora.r}, alpha ${lora.alpha}, dropout ${lora.dropout}, targets ${lora.targets.join(', ')}`
    : 'none';
  return `${[
    ...front,
    '',
    `# ${title}`,
    '',
    `A LoRA adapter and ${manifest.head.type} token-classification head trained by lookright (cell \`${cell.hash}\`).`,
    'Load it with PEFT (`PeftModel.from_pretrained` on a `*ForTokenClassification` of the base model: the head is',
    `saved as modules_to_save \`score\`), or with lookright: \`pnpm lookright predict --adapter <this folder>\`.`,
    ...(manifest.head.crfFile
      ? [
          '',
          `The CRF head's transition, start and end scores are in \`${manifest.head.crfFile}\`; PEFT loads only its`,
          'emission layer (`score`), so argmax over PEFT logits is not the Viterbi decoding lookright does.',
        ]
      : []),
    '',
    '## Base model',
    '',
    ...baseModelSection(manifest),
    '',
    `## Attention masks per layer (${manifest.mask.label}: \`${manifest.masks}\`)`,
    '',
    '| layer | mask |',
    '| --- | --- |',
    ...layers,
    '',
    '## Data',
    '',
    `${manifest.dataset.id} ${JSON.stringify(manifest.dataset.params ?? {})}; tag scheme ${manifest.scheme}; labels ${manifest.labels.join(', ')}.`,
    `Limits: train ${manifest.recipe.trainLimit ?? 'all'}, dev ${manifest.recipe.devLimit ?? 'all'}, test ${manifest.recipe.testLimit ?? 'all'} sentences.`,
    `Tokenization: each word's first sub-word carries its label; sequences cut at ${manifest.tokenizer.maxLength} tokens (cut words are predicted O).`,
    ...(config.dataset.fingerprint.files.length
      ? ['', ...config.dataset.fingerprint.files.map((f) => `- \`${f.name}\` sha256 \`${f.sha256}\``)]
      : []),
    '',
    '## Scores',
    '',
    '| split | precision | recall | F1 | accuracy |',
    '| --- | --- | --- | --- | --- |',
    ...scores,
    ...(perType.length ? ['', '| test entity type | F1 |', '| --- | --- |', ...perType] : []),
    '',
    '## Training',
    '',
    `Seed ${manifest.seed}; LoRA ${loraLine}; ${manifest.recipe.epochs} epoch(s), learning rate ${manifest.recipe.learningRate}, batch ${manifest.recipe.batchSize}, backend ${manifest.recipe.backend}.`,
    `Steps: ${metrics.steps ?? '–'}; best epoch ${metrics.bestEpoch === undefined ? '–' : metrics.bestEpoch + 1}.`,
    '',
    '## Command that made it',
    '',
    '```',
    `pnpm lookright run ${config.suite.file}`,
    `# cell ${cell.hash}`,
    '```',
    '',
  ].join('\n')}`;
}
