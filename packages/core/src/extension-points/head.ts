/** Service id under which head plugin descriptors are bound. */
export const Head = Symbol.for('lookright.Head');

/**
 * A token-classification head on top of a backbone's last hidden state. The tensor-level contract lives in
 * @lookright/train (it needs tfjs); core only names the extension point.
 */
export interface Head {
  /** e.g. `linear` or `crf`. */
  readonly type: string;
}
