import type { TensorToWrite } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { trainErrors } from '../errors.js';
import type { TokenHead } from '../heads/token-head.js';

/** Names of the CRF tensors in `head-crf.safetensors`, in the CRF head's variable order after weight and bias. */
export const CRF_TENSOR_NAMES = ['transitions', 'start', 'end'] as const;

/** A head's tensors as an export holds them: the emission layer in HF layout, plus the CRF's chain scores. */
export interface ExportedHeadTensors {
  /** [numLabels, hidden]: nn.Linear's weight layout (our EmissionLayer keeps [hidden, numLabels]). */
  weight: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** Only for the CRF head: transitions [k, k], start [k], end [k] (raw scores, no scheme penalties). */
  crf: Map<string, TensorToWrite> | null;
}

/** Whether the head's tensors have a known export layout (linear or CRF). */
export function isExportableHead(head: TokenHead): boolean {
  return head.type === 'linear' || head.type === 'crf';
}

function checkType(head: TokenHead): 'linear' | 'crf' {
  if (!isExportableHead(head)) throw trainErrors.exportUnsupportedHead(head.type);
  return head.type as 'linear' | 'crf';
}

/**
 * The head's weights for an export (the caller disposes weight and bias). Relies on the heads' stable variable
 * order: [weight, bias] for linear, [weight, bias, transitions, start, end] for CRF.
 */
export async function exportHeadTensors(head: TokenHead): Promise<ExportedHeadTensors> {
  const type = checkType(head);
  const [weight, bias, ...chain] = head.variables();
  const read = async (t: tf.Tensor) => ({ shape: t.shape, data: Float32Array.from((await t.data()) as Float32Array) });
  const crf =
    type === 'crf'
      ? new Map(await Promise.all(CRF_TENSOR_NAMES.map(async (name, i) => [name, await read(chain[i])] as const)))
      : null;
  return {
    weight: tf.tidy(() => tf.transpose(weight)) as tf.Tensor2D,
    bias: tf.clone(bias) as tf.Tensor1D,
    crf,
  };
}

/** Plain host tensors by name, as an export file holds them. */
export type HostTensors = ReadonlyMap<string, { shape: number[]; data: ArrayLike<number> }>;

/**
 * Puts exported weights back into a freshly built head of the same type and labels: `score` holds `weight`
 * [numLabels, hidden] and `bias`, `crf` the chain scores (CRF head only). Shapes are checked; `where` names the
 * file in errors.
 */
export function loadHeadTensors(head: TokenHead, score: HostTensors, crf: HostTensors | null, where: string): void {
  const type = checkType(head);
  const [weight, bias, ...chain] = head.variables();
  const [hidden, numLabels] = weight.shape;
  const wanted: [string, HostTensors | null, tf.Variable, number[]][] = [
    ['weight', score, weight, [numLabels, hidden]],
    ['bias', score, bias, [numLabels]],
    ...(type === 'crf'
      ? CRF_TENSOR_NAMES.map((name, i): [string, HostTensors | null, tf.Variable, number[]] => [
          name,
          crf,
          chain[i],
          chain[i].shape,
        ])
      : []),
  ];
  for (const [name, source, variable, shape] of wanted) {
    const t = source?.get(name);
    if (!t) throw trainErrors.exportInvalid(where, name, `the ${type} head needs this tensor; it is missing`);
    if (t.shape.join('x') !== shape.join('x'))
      throw trainErrors.exportInvalid(where, name, `shape [${t.shape}] but the head needs [${shape}]`);
    tf.tidy(() => {
      const value = tf.tensor(Float32Array.from(t.data), shape, 'float32');
      variable.assign(name === 'weight' ? tf.transpose(value) : value);
    });
  }
}
