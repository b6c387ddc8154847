// One AdamW update (decoupled weight decay, bias-corrected moments), element by element in float32 with exactly
// the operations and rounding of @lookright/train's tfjs AdamW, so both give bit-identical numbers:
//   g' = g * gradScale
//   m' = b1 * m + (1 - b1) * g'
//   v' = b2 * v + (1 - b2) * (g' * g')
//   p' = p * decay - lr * ((m' / c1) / (sqrt(v' / c2) + eps))
// with c1 = 1 - b1^t, c2 = 1 - b2^t and decay = 1 - lr * wd computed by the caller in float64 (as JavaScript
// computes them) and rounded to float32 here. Floating-point contraction (FMA) and fast-math are off for this file:
// either would change the rounding. binding.gyp builds with -fno-math-errno (sqrt need not set errno), so the loops
// vectorise. Outputs may alias inputs (in-place update) or be separate buffers.
#pragma GCC optimize("no-fast-math", "fp-contract=off")
#include <cmath>
#include "buffers.h"
#include "parallel.h"

namespace lookright {

namespace {

struct AdamwScalars {
  float b1, omb1, b2, omb2, c1, c2, eps, decay, lr, scale;
};

// One element; every operation rounds to float32 in the order the tfjs AdamW runs them.
inline void Element(const AdamwScalars& s, float p, float g, float m, float v, float& pOut, float& mOut, float& vOut) {
  const float gi = g * s.scale;
  const float b1m = s.b1 * m;
  const float omb1g = s.omb1 * gi;
  const float mi = b1m + omb1g;
  const float b2v = s.b2 * v;
  const float omb2g2 = s.omb2 * (gi * gi);
  const float vi = b2v + omb2g2;
  const float denom = std::sqrt(vi / s.c2) + s.eps;
  const float update = (mi / s.c1) / denom;
  const float decayed = p * s.decay;
  const float step = s.lr * update;
  mOut = mi;
  vOut = vi;
  pOut = decayed - step;
}

// p, m, v updated in place (each array read and written through one pointer, so the loop vectorises).
void InPlace(const AdamwScalars& s, float* __restrict p, const float* __restrict g, float* __restrict m,
             float* __restrict v, int64_t n) {
  for (int64_t i = 0; i < n; ++i) Element(s, p[i], g[i], m[i], v[i], p[i], m[i], v[i]);
}

// Results into buffers that overlap no input.
void Separate(const AdamwScalars& s, const float* __restrict p, const float* __restrict g,
              const float* __restrict m, const float* __restrict v, float* __restrict pOut,
              float* __restrict mOut, float* __restrict vOut, int64_t n) {
  for (int64_t i = 0; i < n; ++i) Element(s, p[i], g[i], m[i], v[i], pOut[i], mOut[i], vOut[i]);
}

bool Overlaps(const float* a, const float* b, int64_t n) { return a < b + n && b < a + n; }

}  // namespace

// adamwUpdate(p, g, m, v, pOut, mOut, vOut, n, b1, oneMinusB1, b2, oneMinusB2, c1, c2, eps, decay, lr, gradScale)
Napi::Value AdamwUpdate(const Napi::CallbackInfo& info) {
  float* p = F32(info[0]);
  const float* g = F32(info[1]);
  float* m = F32(info[2]);
  float* v = F32(info[3]);
  float* pOut = F32(info[4]);
  float* mOut = F32(info[5]);
  float* vOut = F32(info[6]);
  const int64_t n = Int(info[7]);
  const auto f = [&](int i) { return static_cast<float>(Num(info[i])); };
  const AdamwScalars s{f(8), f(9), f(10), f(11), f(12), f(13), f(14), f(15), f(16), f(17)};
  if (pOut == p && mOut == m && vOut == v) {
    ParallelFor(n, kElementsPerChunk, [&](int64_t b, int64_t e) { InPlace(s, p + b, g + b, m + b, v + b, e - b); });
  } else {
    bool separate = true;
    for (const float* out : {pOut, mOut, vOut})
      for (const float* in : {static_cast<const float*>(p), g, static_cast<const float*>(m),
                              static_cast<const float*>(v)})
        separate = separate && !Overlaps(out, in, n);
    if (separate) {
      ParallelFor(n, kElementsPerChunk, [&](int64_t b, int64_t e) {
        Separate(s, p + b, g + b, m + b, v + b, pOut + b, mOut + b, vOut + b, e - b);
      });
    } else {
      for (int64_t i = 0; i < n; ++i) Element(s, p[i], g[i], m[i], v[i], pOut[i], mOut[i], vOut[i]);
    }
  }
  return info.Env().Undefined();
}

}  // namespace lookright
