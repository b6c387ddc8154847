import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const EMBEDDING = 'LookrightEmbedding';
export const EMBEDDING_GRAD = 'LookrightEmbeddingGrad';

/** table [V,H], ids int32 [...] -> [..., H]. */
export const embeddingKernel: NativeKernel = {
  kernelName: EMBEDDING,
  run(inputs, _attrs, mem, addon) {
    const table = input(inputs, 'table', EMBEDDING);
    const ids = input(inputs, 'ids', EMBEDDING);
    const [vocab, hidden] = table.shape;
    const n = sizeOf(ids.shape);
    const y = mem.alloc([...ids.shape, hidden], 'float32');
    addon.embeddingGather(mem.f32(table), mem.i32(ids), mem.f32(y), n, vocab, hidden);
    return y;
  },
};

/** (dy [..., H], ids [...]) -> dTable [V,H] by scatter-add. attrs: vocab. */
export const embeddingGradKernel: NativeKernel = {
  kernelName: EMBEDDING_GRAD,
  run(inputs, attrs, mem, addon) {
    const dy = input(inputs, 'dy', EMBEDDING_GRAD);
    const ids = input(inputs, 'ids', EMBEDDING_GRAD);
    const vocab = numAttr(attrs, 'vocab', EMBEDDING_GRAD);
    const hidden = dy.shape[dy.shape.length - 1];
    const dTable = mem.alloc([vocab, hidden], 'float32');
    addon.embeddingScatterAdd(mem.f32(dy), mem.i32(ids), mem.f32(dTable), sizeOf(ids.shape), vocab, hidden);
    return dTable;
  },
};
