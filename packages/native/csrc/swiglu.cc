// SwiGLU y = silu(gate) * up, [rows, I]. gate and up are read with a row stride, so one
// kernel serves separate [rows, I] tensors (stride I) and a fused [rows, 2I] gate|up
// projection (gate = base, up = base + I, stride 2I).
#include <cmath>
#define LOOKRIGHT_VECTORIZE_FLOAT_LOOPS
#include "fast_exp.h"
#include "buffers.h"
#include "parallel.h"

namespace lookright {

static inline float Sigmoid(float g) { return 1.0f / (1.0f + ExpF(-g)); }

// Rows [begin, end); sizes as parameters (not lambda captures) so the loops vectorise as the serial ones did.
static void SwigluRows(const float* gate, const float* up, float* y, int64_t inter, int64_t stride, int64_t begin,
                       int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    const float* g = gate + i * stride;
    const float* u = up + i * stride;
    float* yi = y + i * inter;
    for (int64_t j = 0; j < inter; ++j) yi[j] = g[j] * Sigmoid(g[j]) * u[j];
  }
}

static void SwigluGradRows(const float* gate, const float* up, const float* dy, float* dGate, float* dUp,
                           int64_t inter, int64_t stride, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    const float* g = gate + i * stride;
    const float* u = up + i * stride;
    const float* dyi = dy + i * inter;
    float* dg = dGate + i * stride;
    float* du = dUp + i * stride;
    for (int64_t j = 0; j < inter; ++j) {
      const float s = Sigmoid(g[j]);
      du[j] = dyi[j] * g[j] * s;
      dg[j] = dyi[j] * u[j] * s * (1.0f + g[j] * (1.0f - s));
    }
  }
}

// swigluForward(gate, up, y, rows, inter, inStride)
Napi::Value SwigluForward(const Napi::CallbackInfo& info) {
  const float* gate = F32(info[0]);
  const float* up = F32(info[1]);
  float* y = F32(info[2]);
  const int64_t rows = Int(info[3]), inter = Int(info[4]), stride = Int(info[5]);
  ParallelFor(rows, RowsPerChunk(inter),
              [&](int64_t begin, int64_t end) { SwigluRows(gate, up, y, inter, stride, begin, end); });
  return info.Env().Undefined();
}

// swigluBackward(gate, up, dy, dGate, dUp, rows, inter, inStride); dGate/dUp use inStride too
Napi::Value SwigluBackward(const Napi::CallbackInfo& info) {
  const float* gate = F32(info[0]);
  const float* up = F32(info[1]);
  const float* dy = F32(info[2]);
  float* dGate = F32(info[3]);
  float* dUp = F32(info[4]);
  const int64_t rows = Int(info[5]), inter = Int(info[6]), stride = Int(info[7]);
  ParallelFor(rows, RowsPerChunk(inter), [&](int64_t begin, int64_t end) {
    SwigluGradRows(gate, up, dy, dGate, dUp, inter, stride, begin, end);
  });
  return info.Env().Undefined();
}

}  // namespace lookright
