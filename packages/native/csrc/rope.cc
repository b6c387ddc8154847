// Head split/merge with an optional rotary embedding (HF "rotate_half" layout).
//   mode 0: x [B,S,H*D] -> y [B,H,S,D], rotated by +theta (forward RoPE + split)
//   mode 1: x [B,H,S,D] -> y [B,S,H*D], rotated by -theta (its gradient: unrotate + merge)
//   mode 2: split only   mode 3: merge only (each other's gradient)
//   mode 4: x [B,S,H,D] -> y [B,S,H,D] rotated by +theta   mode 5: the same by -theta
// Tables: row p holds cos at cos[p*stride + i] and sin at sin[p*stride + sinOffset + i], i < D/2
// (half tables: stride D/2, offset 0; transformers-style full tables: stride D, sin = the
// second half of [-sin, sin], offset D/2). Rows are positions 0..S-1, or b*S+s when perBatch.
#include "buffers.h"
#include "parallel.h"
#include "row_ops.h"

namespace lookright {

void RotateRow(const float* in, float* out, const float* c, const float* sn, int64_t D, float sign) {
  const int64_t half = D / 2;
  for (int64_t d = 0; d < half; ++d) {
    const float lo = in[d], hi = in[d + half];
    const float sv = sign * sn[d];
    out[d] = lo * c[d] - hi * sv;
    out[d + half] = hi * c[d] + lo * sv;
  }
}

// Rows (b, s) in [begin, end) of RopeSplitHeads; the scalars are parameters so the loops vectorise as serial ones.
static void RopeRows(const float* x, float* y, const float* cosT, const float* sinT, int64_t S, int64_t H, int64_t D,
                     bool perBatch, int64_t stride, int64_t sinOffset, bool rotate, bool inPlaceLayout, bool split,
                     float sign, int64_t begin, int64_t end) {
  for (int64_t bs = begin; bs < end; ++bs) {
    const int64_t b = bs / S, s = bs % S;
    const int64_t row = perBatch ? b * S + s : s;
    const float* c = cosT + row * stride;
    const float* sn = sinT + row * stride + sinOffset;
    for (int64_t h = 0; h < H; ++h) {
      const int64_t bshd = ((b * S + s) * H + h) * D;
      const int64_t bhsd = ((b * H + h) * S + s) * D;
      const float* in = x + (inPlaceLayout || split ? bshd : bhsd);
      float* out = y + (inPlaceLayout || !split ? bshd : bhsd);
      if (!rotate) {
        for (int64_t d = 0; d < D; ++d) out[d] = in[d];
        continue;
      }
      RotateRow(in, out, c, sn, D, sign);
    }
  }
}

// ropeSplitHeads(x, y, cos, sin, batch, seq, heads, headDim, mode, perBatch, tableStride, sinOffset)
Napi::Value RopeSplitHeads(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* x = F32(info[0]);
  float* y = F32(info[1]);
  const float* cosT = F32(info[2]);
  const float* sinT = F32(info[3]);
  const int64_t B = Int(info[4]), S = Int(info[5]), H = Int(info[6]), D = Int(info[7]);
  const int mode = static_cast<int>(Int(info[8]));
  const bool perBatch = Bool(info[9]);
  const int64_t stride = Int(info[10]), sinOffset = Int(info[11]);
  const int64_t half = D / 2;
  const bool rotate = mode == 0 || mode == 1 || mode == 4 || mode == 5;
  const int64_t rowsNeeded = perBatch ? B * S : S;
  if (Fail(env, !rotate || (D % 2 == 0 && Len(info[2]) >= static_cast<size_t>((rowsNeeded - 1) * stride + half) &&
                            Len(info[3]) >= static_cast<size_t>((rowsNeeded - 1) * stride + sinOffset + half)),
           "ropeSplitHeads: cos/sin tables too small or odd head size")) {
    return env.Undefined();
  }
  const bool inPlaceLayout = mode == 4 || mode == 5;
  const bool split = mode == 0 || mode == 2;
  const float sign = (mode == 1 || mode == 5) ? -1.0f : 1.0f;
  ParallelFor(B * S, RowsPerChunk(H * D), [&](int64_t begin, int64_t end) {
    RopeRows(x, y, cosT, sinT, S, H, D, perBatch, stride, sinOffset, rotate, inPlaceLayout, split, sign, begin, end);
  });
  return env.Undefined();
}

}  // namespace lookright
