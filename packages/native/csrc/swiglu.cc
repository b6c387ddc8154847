// SwiGLU on a fused gate|up projection: gu is [rows, 2I] (gate first, then up),
// y = silu(gate) * up is [rows, I].
#include <cmath>
#include "buffers.h"

namespace lookright {

static inline float Sigmoid(float g) { return 1.0f / (1.0f + std::exp(-g)); }

// swigluForward(gu, y, rows, inter)
Napi::Value SwigluForward(const Napi::CallbackInfo& info) {
  const float* gu = F32(info[0]);
  float* y = F32(info[1]);
  const int64_t rows = Int(info[2]), inter = Int(info[3]);
  for (int64_t i = 0; i < rows; ++i) {
    const float* g = gu + i * 2 * inter;
    const float* u = g + inter;
    float* yi = y + i * inter;
    for (int64_t j = 0; j < inter; ++j) yi[j] = g[j] * Sigmoid(g[j]) * u[j];
  }
  return info.Env().Undefined();
}

// swigluBackward(gu, dy, dgu, rows, inter)
Napi::Value SwigluBackward(const Napi::CallbackInfo& info) {
  const float* gu = F32(info[0]);
  const float* dy = F32(info[1]);
  float* dgu = F32(info[2]);
  const int64_t rows = Int(info[3]), inter = Int(info[4]);
  for (int64_t i = 0; i < rows; ++i) {
    const float* g = gu + i * 2 * inter;
    const float* u = g + inter;
    const float* dyi = dy + i * inter;
    float* dg = dgu + i * 2 * inter;
    float* du = dg + inter;
    for (int64_t j = 0; j < inter; ++j) {
      const float s = Sigmoid(g[j]);
      const float silu = g[j] * s;
      du[j] = dyi[j] * silu;
      dg[j] = dyi[j] * u[j] * s * (1.0f + g[j] * (1.0f - s));
    }
  }
  return info.Env().Undefined();
}

}  // namespace lookright
