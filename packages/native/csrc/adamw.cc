// One AdamW step with PyTorch's formula (decoupled weight decay, bias-corrected moments):
//   p *= 1 - lr*wd ; m = b1 m + (1-b1) g' ; v = b2 v + (1-b2) g'^2 ; g' = g * gradScale
//   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
// Outputs may alias inputs (in-place update) or be separate buffers.
#include <cmath>
#include "buffers.h"

namespace lookright {

// adamwStep(p, g, m, v, pOut, mOut, vOut, n, lr, beta1, beta2, eps, weightDecay, step, gradScale)
Napi::Value AdamwStep(const Napi::CallbackInfo& info) {
  const float* p = F32(info[0]);
  const float* g = F32(info[1]);
  const float* m = F32(info[2]);
  const float* v = F32(info[3]);
  float* pOut = F32(info[4]);
  float* mOut = F32(info[5]);
  float* vOut = F32(info[6]);
  const int64_t n = Int(info[7]);
  const double lr = Num(info[8]), b1 = Num(info[9]), b2 = Num(info[10]), eps = Num(info[11]);
  const double wd = Num(info[12]), step = Num(info[13]), gradScale = Num(info[14]);
  const float decay = static_cast<float>(1.0 - lr * wd);
  const float stepSize = static_cast<float>(lr / (1.0 - std::pow(b1, step)));
  const float bc2Sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(b2, step)));
  const float fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2), feps = static_cast<float>(eps);
  const float fscale = static_cast<float>(gradScale);
  for (int64_t i = 0; i < n; ++i) {
    const float gi = g[i] * fscale;
    const float mi = fb1 * m[i] + (1.0f - fb1) * gi;
    const float vi = fb2 * v[i] + (1.0f - fb2) * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = p[i] * decay - stepSize * mi / (std::sqrt(vi) / bc2Sqrt + feps);
  }
  return info.Env().Undefined();
}

}  // namespace lookright
