// Head split/merge with an optional rotary embedding (HF "rotate_half" layout).
//   mode 0: x [B,S,H*D] -> y [B,H,S,D], rotated by +theta (forward RoPE + split)
//   mode 1: x [B,H,S,D] -> y [B,S,H*D], rotated by -theta (its gradient: unrotate + merge)
//   mode 2: split only   mode 3: merge only (each other's gradient)
// cos/sin are [S, D/2] (shared positions) or [B*S, D/2] (per-row positions).
#include "buffers.h"

namespace lookright {

// ropeSplitHeads(x, y, cos, sin, batch, seq, heads, headDim, mode, perBatch)
Napi::Value RopeSplitHeads(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* x = F32(info[0]);
  float* y = F32(info[1]);
  const float* cosT = F32(info[2]);
  const float* sinT = F32(info[3]);
  const int64_t B = Int(info[4]), S = Int(info[5]), H = Int(info[6]), D = Int(info[7]);
  const int mode = static_cast<int>(Int(info[8]));
  const bool perBatch = Bool(info[9]);
  const int64_t half = D / 2;
  const bool rotate = mode == 0 || mode == 1;
  if (Fail(env, !rotate || (D % 2 == 0 && Len(info[2]) >= static_cast<size_t>((perBatch ? B * S : S) * half)),
           "ropeSplitHeads: cos/sin tables too small or odd head size")) {
    return env.Undefined();
  }
  const bool split = mode == 0 || mode == 2;
  const float sign = mode == 1 ? -1.0f : 1.0f;
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t s = 0; s < S; ++s) {
      const int64_t row = perBatch ? b * S + s : s;
      const float* c = cosT + row * half;
      const float* sn = sinT + row * half;
      for (int64_t h = 0; h < H; ++h) {
        const int64_t bshd = ((b * S + s) * H + h) * D;
        const int64_t bhsd = ((b * H + h) * S + s) * D;
        const float* in = x + (split ? bshd : bhsd);
        float* out = y + (split ? bhsd : bshd);
        if (!rotate) {
          for (int64_t d = 0; d < D; ++d) out[d] = in[d];
          continue;
        }
        for (int64_t d = 0; d < half; ++d) {
          const float lo = in[d], hi = in[d + half];
          const float sv = sign * sn[d];
          out[d] = lo * c[d] - hi * sv;
          out[d + half] = hi * c[d] + lo * sv;
        }
      }
    }
  }
  return env.Undefined();
}

}  // namespace lookright
