// Sum over the leading rows of a float32 [rows, cols] matrix: out[j] = x[0][j] + x[1][j] + ... in row order, as the
// backends' Sum adds a reduced axis (after their transpose): wasm in a float accumulator, cpu in a double (a
// JavaScript number) rounded once. Reassociation would change bits, so fast-math is off for this file.
#pragma GCC optimize("no-fast-math", "fp-contract=off")
#include <vector>
#include "buffers.h"

namespace lookright {

// columnSumF32(x, rows, out, wide): out has cols elements, x rows * cols; wide = double accumulators (cpu backend)
Napi::Value ColumnSumF32(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* x = F32(info[0]);
  const size_t rows = static_cast<size_t>(Int(info[1]));
  float* out = F32(info[2]);
  const bool wide = Bool(info[3]);
  const size_t cols = Len(info[2]);
  if (Fail(env, Len(info[0]) == rows * cols, "columnSumF32: x must hold rows * out.length values")) {
    return env.Undefined();
  }
  if (wide) {
    std::vector<double> acc(cols, 0.0);
    for (size_t i = 0; i < rows; ++i) {
      const float* row = x + i * cols;
      for (size_t j = 0; j < cols; ++j) acc[j] += static_cast<double>(row[j]);
    }
    for (size_t j = 0; j < cols; ++j) out[j] = static_cast<float>(acc[j]);
  } else {
    for (size_t j = 0; j < cols; ++j) out[j] = 0.0f;
    for (size_t i = 0; i < rows; ++i) {
      const float* row = x + i * cols;
      for (size_t j = 0; j < cols; ++j) out[j] += row[j];
    }
  }
  return env.Undefined();
}

}  // namespace lookright
