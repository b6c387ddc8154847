import {
  type EncoderModel,
  gelu,
  IGNORE_INDEX,
  layerNorm,
  linear,
  maskedCrossEntropy,
  type TensorToWrite,
  withCustomGradient,
} from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

type Loaded = ReadonlyMap<string, { shape: number[]; data: Float32Array }>;

/** [out, in] <-> [in, out]. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Rows `rows` of x [N, H]; the gradient scatters dy back into those rows (the others get zero). */
function gatherRows(x: tf.Tensor2D, rows: number[]): tf.Tensor2D {
  const index = tf.tensor1d(rows, 'int32');
  return withCustomGradient(
    [x],
    ([t]) => ({ value: tf.gather(t, index) as tf.Tensor2D, saved: [index] }),
    (dy, [saved]) => [tf.scatterND(tf.reshape(saved, [-1, 1]), dy, x.shape)],
  );
}

/**
 * BERT's masked-LM head (`cls.predictions`): dense + GELU + LayerNorm, then logits against the tied word embeddings
 * plus a bias. Its variables are read from the checkpoint (the engine's encoder loader drops head tensors).
 */
export class MlmHead {
  readonly dense: tf.Variable;
  readonly denseBias: tf.Variable;
  readonly normWeight: tf.Variable;
  readonly normBias: tf.Variable;
  readonly outputBias: tf.Variable;

  constructor(
    tensors: Loaded,
    private readonly eps: number,
  ) {
    const get = (name: string) => tensors.get(`cls.predictions.${name}`) as { shape: number[]; data: Float32Array };
    const dense = get('transform.dense.weight');
    const [out, inp] = dense.shape;
    // inside tidy: the initial tensors are disposed, the variables keep their data
    const variable = (make: () => tf.Tensor) => tf.tidy(() => tf.variable(make()));
    this.dense = variable(() => tf.tensor2d(transpose2d(dense.data, out, inp), [inp, out]));
    this.denseBias = variable(() => tf.tensor1d(get('transform.dense.bias').data));
    this.normWeight = variable(() => tf.tensor1d(get('transform.LayerNorm.weight').data));
    this.normBias = variable(() => tf.tensor1d(get('transform.LayerNorm.bias').data));
    this.outputBias = variable(() => tf.tensor1d(get('bias').data));
  }

  variables(): tf.Variable[] {
    return [this.dense, this.denseBias, this.normWeight, this.normBias, this.outputBias];
  }

  /** [B, S, H] hidden states -> [B, S, vocab] logits. */
  logits(hidden: tf.Tensor3D, model: EncoderModel): tf.Tensor3D {
    const x = gelu(linear(hidden, this.dense as tf.Tensor2D, this.denseBias as tf.Tensor1D));
    const y = layerNorm(x, { weight: this.normWeight as tf.Tensor1D, bias: this.normBias as tf.Tensor1D }, this.eps);
    const embeddings = model.params.wordEmbeddings;
    return tf.add(linear(y, tf.transpose(embeddings) as tf.Tensor2D), this.outputBias) as tf.Tensor3D;
  }

  /**
   * Mean cross-entropy at the positions whose label is not -100, with the head (dense, GELU, LayerNorm, vocabulary
   * projection) run on those rows only. Every step of the head is row-wise, so the loss is that of
   * `maskedCrossEntropy` over all positions' logits (equal bits in `mlm-head.spec.ts`) at about 15% of the cost.
   */
  maskedLoss(hidden: tf.Tensor3D, labels: readonly number[][], model: EncoderModel): tf.Scalar {
    const [batch, seqLen, width] = hidden.shape;
    const positions: number[] = [];
    const gold: number[] = [];
    labels.forEach((row, b) => {
      row.forEach((label, t) => {
        if (label === IGNORE_INDEX) return;
        positions.push(b * seqLen + t);
        gold.push(label);
      });
    });
    if (positions.length === 0)
      return maskedCrossEntropy(this.logits(hidden, model), tf.tensor2d(labels as number[][], undefined, 'int32'));
    const rows = gatherRows(tf.reshape(hidden, [batch * seqLen, width]) as tf.Tensor2D, positions);
    const logits = this.logits(tf.reshape(rows, [1, positions.length, width]) as tf.Tensor3D, model);
    return maskedCrossEntropy(logits, tf.tensor2d([gold], undefined, 'int32'));
  }

  /** The head's tensors under HF names and layouts. */
  tensors(): Map<string, TensorToWrite> {
    const [inp, out] = this.dense.shape;
    const f = (v: tf.Variable) => Float32Array.from(v.dataSync() as Float32Array);
    return new Map<string, TensorToWrite>([
      ['cls.predictions.transform.dense.weight', { shape: [out, inp], data: transpose2d(f(this.dense), inp, out) }],
      ['cls.predictions.transform.dense.bias', { shape: [out], data: f(this.denseBias) }],
      ['cls.predictions.transform.LayerNorm.weight', { shape: [out], data: f(this.normWeight) }],
      ['cls.predictions.transform.LayerNorm.bias', { shape: [out], data: f(this.normBias) }],
      ['cls.predictions.bias', { shape: [this.outputBias.shape[0]], data: f(this.outputBias) }],
    ]);
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }
}

/** The encoder's weights under HF names (`bert.` prefix), linear weights back to [out, in]. */
export function encoderTensors(model: EncoderModel): Map<string, TensorToWrite> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, tensor] of model.namedParameters()) {
    const values = Float32Array.from(tensor.dataSync() as Float32Array);
    const linearWeight = /(dense|self\.(query|key|value))\.weight$/.test(name);
    if (linearWeight) {
      const [rows, cols] = tensor.shape;
      out.set(`bert.${name}`, { shape: [cols, rows], data: transpose2d(values, rows, cols) });
    } else out.set(`bert.${name}`, { shape: [...tensor.shape], data: values });
  }
  return out;
}
