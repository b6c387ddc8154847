// Softmax over the last axis of scale * scores + mask, the mask additive and broadcast
// over batch (maskBatch 1 or B) and heads (maskHeads 1 or H). NaN and +Inf propagate:
// the running max is seeded with the row's first value, never with -INFINITY, so the
// result does not depend on how the compiler treats infinities.
#include <cmath>
#define LOOKRIGHT_VECTORIZE_FLOAT_LOOPS
#include "fast_exp.h"
#include "buffers.h"
#include "parallel.h"
#include "row_ops.h"

namespace lookright {

void SoftmaxRow(const float* sr, const float* mr, float* yr, int64_t C, float scale) {
  float mx = sr[0] * scale + mr[0];
  for (int64_t j = 0; j < C; ++j) {
    const float v = sr[j] * scale + mr[j];
    yr[j] = v;
    if (v > mx || IsNanBits(v)) mx = v;
  }
  for (int64_t j = 0; j < C; ++j) yr[j] = ExpF(yr[j] - mx);
  double sum = 0;
  for (int64_t j = 0; j < C; ++j) sum += yr[j];
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t j = 0; j < C; ++j) yr[j] *= inv;
}

void SoftmaxGradRow(const float* yr, const float* dyr, float* dsr, int64_t C, float scale) {
  double dot = 0;
  for (int64_t j = 0; j < C; ++j) dot += static_cast<double>(yr[j]) * dyr[j];
  const float d = static_cast<float>(dot);
  for (int64_t j = 0; j < C; ++j) dsr[j] = scale * yr[j] * (dyr[j] - d);
}

// Rows [begin, end) of the flattened [B, H, R] rows; scalars as parameters so the loops vectorise.
static void SoftmaxRows(const float* s, const float* mask, float* y, int64_t H, int64_t R, int64_t C, int64_t sB,
                        int64_t sH, int64_t sR, float scale, int64_t begin, int64_t end) {
  // (b, h, r) of row `begin`, then stepped with the row (no division per row)
  int64_t b = begin / (H * R), h = (begin / R) % H, r = begin % R;
  for (int64_t row = begin; row < end; ++row) {
    const float* mbh = mask + b * sB + h * sH;
    const int64_t off = row * C;
    SoftmaxRow(s + off, mbh + r * sR, y + off, C, scale);
    if (++r == R) {
      r = 0;
      if (++h == H) {
        h = 0;
        ++b;
      }
    }
  }
}

// maskedSoftmaxForward(scores, mask, y, batch, heads, rows, cols, maskStrideB, maskStrideH, maskStrideR, scale)
// The mask element for (b, h, r, j) is mask[b*strideB + h*strideH + r*strideR + j] (stride 0 broadcasts).
Napi::Value MaskedSoftmaxForward(const Napi::CallbackInfo& info) {
  const float* s = F32(info[0]);
  const float* mask = F32(info[1]);
  float* y = F32(info[2]);
  const int64_t B = Int(info[3]), H = Int(info[4]), R = Int(info[5]), C = Int(info[6]);
  const int64_t sB = Int(info[7]), sH = Int(info[8]), sR = Int(info[9]);
  const float scale = static_cast<float>(Num(info[10]));
  ParallelFor(B * H * R, RowsPerChunk(C), [&](int64_t begin, int64_t end) {
    SoftmaxRows(s, mask, y, H, R, C, sB, sH, sR, scale, begin, end);
  });
  return info.Env().Undefined();
}

static void SoftmaxGradRows(const float* y, const float* dy, float* ds, int64_t C, float scale, int64_t begin,
                            int64_t end) {
  for (int64_t r = begin; r < end; ++r) SoftmaxGradRow(y + r * C, dy + r * C, ds + r * C, C, scale);
}

// maskedSoftmaxBackward(y, dy, ds, rows, cols, scale): ds = scale * y * (dy - sum(dy * y))
Napi::Value MaskedSoftmaxBackward(const Napi::CallbackInfo& info) {
  const float* y = F32(info[0]);
  const float* dy = F32(info[1]);
  float* ds = F32(info[2]);
  const int64_t R = Int(info[3]), C = Int(info[4]);
  const float scale = static_cast<float>(Num(info[5]));
  ParallelFor(R, RowsPerChunk(C), [&](int64_t begin, int64_t end) {
    SoftmaxGradRows(y, dy, ds, C, scale, begin, end);
  });
  return info.Env().Undefined();
}

}  // namespace lookright
