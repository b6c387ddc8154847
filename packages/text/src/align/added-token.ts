/** One entry of tokenizer.json's `added_tokens`: a special token matched whole, as HF tokenizers writes them. */
export function specialAddedToken(id: number, content: string): Record<string, unknown> {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}
