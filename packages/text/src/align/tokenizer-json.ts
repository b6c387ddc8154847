/** The parts of a tokenizer.json this package reads (the file holds more). */
export interface TokenizerJson {
  model: { type?: string; unk_token?: string | null; continuing_subword_prefix?: string | null };
  normalizer?: Component | null;
  pre_tokenizer?: Component | null;
  post_processor?: Component | null;
  added_tokens?: { id: number; content: string; special?: boolean }[];
}

/** A normalizer, pre-tokenizer or post-processor entry; `Sequence` nests others. */
export interface Component {
  type: string;
  [key: string]: unknown;
}

/** Every component of one slot, with `Sequence` entries flattened. */
export function flattenComponents(component: Component | null | undefined): Component[] {
  if (!component) return [];
  if (component.type !== 'Sequence') return [component];
  const children = (component.normalizers ?? component.pretokenizers ?? component.processors ?? []) as Component[];
  return children.flatMap(flattenComponents);
}
