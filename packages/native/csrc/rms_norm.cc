// RMSNorm: y = x * r * w with r = 1 / sqrt(mean(x^2) + eps), per row.
// The forward pass saves r per row; the backward pass needs x, w, r and dy.
#include <cmath>
#include "buffers.h"
#include "parallel.h"
#include "row_sums.h"

namespace lookright {

// Rows [begin, end); sizes as parameters (not lambda captures) so the loops vectorise as the serial ones did.
static void NormRows(const float* x, const float* w, float* y, float* r, int64_t cols, double eps, int64_t begin,
                     int64_t end) {
  for (int64_t first = begin; first < end; first += kRowsAtOnce) {
    const int64_t rows = end - first < kRowsAtOnce ? end - first : kRowsAtOnce;
    const float* xf = x + first * cols;
    double ss[kRowsAtOnce];
    InterleavedRowSums(rows, cols, ss, [&](int64_t k, int64_t j) {
      return static_cast<double>(xf[k * cols + j]) * xf[k * cols + j];
    });
    for (int64_t k = 0; k < rows; ++k) {
      const int64_t i = first + k;
      const float* xi = x + i * cols;
      const float ri = static_cast<float>(1.0 / std::sqrt(ss[k] / cols + eps));
      r[i] = ri;
      float* yi = y + i * cols;
      for (int64_t j = 0; j < cols; ++j) yi[j] = xi[j] * ri * w[j];
    }
  }
}

static void NormGradRows(const float* dy, const float* x, const float* w, const float* r, float* dx, int64_t cols,
                         int64_t begin, int64_t end) {
  for (int64_t first = begin; first < end; first += kRowsAtOnce) {
    const int64_t rows = end - first < kRowsAtOnce ? end - first : kRowsAtOnce;
    const float* xf = x + first * cols;
    const float* dyf = dy + first * cols;
    double dots[kRowsAtOnce];
    InterleavedRowSums(rows, cols, dots, [&](int64_t k, int64_t j) {
      return static_cast<double>(dyf[k * cols + j]) * w[j] * xf[k * cols + j];
    });
    for (int64_t k = 0; k < rows; ++k) {
      const int64_t i = first + k;
      const float* xi = x + i * cols;
      const float* dyi = dy + i * cols;
      float* dxi = dx + i * cols;
      const double ri = r[i];
      const float coef = static_cast<float>(ri * ri * ri * dots[k] / cols);
      const float rf = static_cast<float>(ri);
      for (int64_t j = 0; j < cols; ++j) dxi[j] = rf * w[j] * dyi[j] - xi[j] * coef;
    }
  }
}

// dw[j] for columns [begin, end), each summed over the rows in order.
static void NormWeightGradColumns(const float* dy, const float* x, const float* r, float* dw, int64_t rows,
                                  int64_t cols, int64_t begin, int64_t end) {
  for (int64_t j = begin; j < end; ++j) dw[j] = 0.0f;
  for (int64_t i = 0; i < rows; ++i) {
    const float* xi = x + i * cols;
    const float* dyi = dy + i * cols;
    const float rf = r[i];
    for (int64_t j = begin; j < end; ++j) dw[j] += dyi[j] * xi[j] * rf;
  }
}

// rmsNormForward(x, w, y, r, rows, cols, eps)
Napi::Value RmsNormForward(const Napi::CallbackInfo& info) {
  const float* x = F32(info[0]);
  const float* w = F32(info[1]);
  float* y = F32(info[2]);
  float* r = F32(info[3]);
  const int64_t rows = Int(info[4]), cols = Int(info[5]);
  const double eps = Num(info[6]);
  ParallelFor(rows, RowsPerChunk(cols), [&](int64_t begin, int64_t end) { NormRows(x, w, y, r, cols, eps, begin, end); });
  return info.Env().Undefined();
}

// rmsNormBackward(dy, x, w, r, dx, dw, rows, cols)
// dx_j = r w_j dy_j - x_j r^3 / n * sum_k dy_k w_k x_k ; dw_j = sum_rows dy_j x_j r
// dx is computed in parallel over rows, then dw in parallel over columns, each dw_j summed in row order.
Napi::Value RmsNormBackward(const Napi::CallbackInfo& info) {
  const float* dy = F32(info[0]);
  const float* x = F32(info[1]);
  const float* w = F32(info[2]);
  const float* r = F32(info[3]);
  float* dx = F32(info[4]);
  float* dw = F32(info[5]);
  const int64_t rows = Int(info[6]), cols = Int(info[7]);
  ParallelFor(rows, RowsPerChunk(cols),
              [&](int64_t begin, int64_t end) { NormGradRows(dy, x, w, r, dx, cols, begin, end); });
  ParallelFor(cols, ColumnsPerChunk(rows),
              [&](int64_t begin, int64_t end) { NormWeightGradColumns(dy, x, r, dw, rows, cols, begin, end); });
  return info.Env().Undefined();
}

}  // namespace lookright
