import { textErrors } from '../errors.js';
import { type Component, flattenComponents, type TokenizerJson } from './tokenizer-json.js';

/** The special tokens a tokenizer puts around one sentence (e.g. `<s>` before; `[CLS]` before, `[SEP]` after). */
export interface SentenceSpecials {
  prefix: number[];
  suffix: number[];
}

type TemplatePiece = { SpecialToken: { id: string } } | { Sequence: { id: string } };

function templateSpecials(processor: Component, json: TokenizerJson, path: string): SentenceSpecials {
  const single = (processor.single ?? []) as TemplatePiece[];
  const specialIds = (processor.special_tokens ?? {}) as Record<string, { ids: number[] }>;
  const out: SentenceSpecials = { prefix: [], suffix: [] };
  let seenSequence = false;
  for (const piece of single) {
    if ('Sequence' in piece) {
      seenSequence = true;
      continue;
    }
    const name = piece.SpecialToken.id;
    const ids = specialIds[name]?.ids ?? json.added_tokens?.filter((t) => t.content === name).map((t) => t.id) ?? [];
    if (ids.length === 0) {
      throw textErrors.tokenizerInvalid(path, `post_processor names special token ${name}, which has no id`);
    }
    (seenSequence ? out.suffix : out.prefix).push(...ids);
  }
  return out;
}

/**
 * Reads the special tokens the tokenizer's post_processor adds around a single sentence: TemplateProcessing
 * (Llama, BERT from recent transformers), BertProcessing / RobertaProcessing (`cls` before, `sep` after),
 * ByteLevel (none, GPT-2) and Sequence of those. No post_processor means no special tokens.
 */
export function sentenceSpecials(json: TokenizerJson, path: string): SentenceSpecials {
  let out: SentenceSpecials = { prefix: [], suffix: [] };
  // each processor of a Sequence wraps what the previous ones produced
  const wrap = (inner: SentenceSpecials): void => {
    out = { prefix: [...inner.prefix, ...out.prefix], suffix: [...out.suffix, ...inner.suffix] };
  };
  for (const processor of flattenComponents(json.post_processor)) {
    if (processor.type === 'TemplateProcessing') {
      wrap(templateSpecials(processor, json, path));
    } else if (processor.type === 'BertProcessing' || processor.type === 'RobertaProcessing') {
      const cls = processor.cls as [string, number];
      const sep = processor.sep as [string, number];
      wrap({ prefix: [cls[1]], suffix: [sep[1]] });
    } else if (processor.type !== 'ByteLevel') {
      throw textErrors.tokenizerInvalid(path, `post_processor type ${processor.type} is not supported`);
    }
  }
  return out;
}

/** tokenizer_config.json classes whose fast tokenizer rebuilds its post_processor from add_bos_token/add_eos_token. */
const BOS_EOS_FLAG_CLASSES = /^(Llama|CodeLlama|Gemma)Tokenizer(Fast)?$/;

function tokenName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/**
 * transformers' LlamaTokenizerFast (and CodeLlama, Gemma) ignore the stored post_processor and add `bos_token` when
 * `add_bos_token` and `eos_token` when `add_eos_token` is true (defaults true / false). For those classes this gives
 * the specials from tokenizer_config.json; for any other class undefined (use the post_processor).
 */
export function specialsFromConfig(
  config: Record<string, unknown>,
  idOf: (token: string) => number | undefined,
  path: string,
): SentenceSpecials | undefined {
  if (typeof config.tokenizer_class !== 'string' || !BOS_EOS_FLAG_CLASSES.test(config.tokenizer_class))
    return undefined;
  const pick = (flag: unknown, fallback: boolean, key: 'bos_token' | 'eos_token'): number[] => {
    if (!(typeof flag === 'boolean' ? flag : fallback)) return [];
    const name = tokenName(config[key]);
    const id = name === undefined ? undefined : idOf(name);
    if (id === undefined) throw textErrors.tokenizerInvalid(path, `add_${key} is set but ${key} has no id`);
    return [id];
  };
  return {
    prefix: pick(config.add_bos_token, true, 'bos_token'),
    suffix: pick(config.add_eos_token, false, 'eos_token'),
  };
}
