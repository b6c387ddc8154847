// The squared L2 norm of each of several float32 arrays, as tf.sum(tf.square(x)) computes it on each backend: every
// square rounded to float32 (tf.square), then added in element order, in a float accumulator (wasm's Sum) or a
// double rounded once at the end (cpu's Sum, a JavaScript number). Bit-identical to those ops, so contraction and
// reassociation are off for this file. The arrays are independent, so they are split over the kernel threads.
#pragma GCC optimize("no-fast-math", "fp-contract=off")
#include <vector>
#include "buffers.h"
#include "parallel.h"

namespace lookright {

namespace {

float SumOfSquares(const float* x, size_t n, bool wide) {
  if (wide) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      const float square = x[i] * x[i];
      sum += static_cast<double>(square);
    }
    return static_cast<float>(sum);
  }
  float sum = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    const float square = x[i] * x[i];
    sum += square;
  }
  return sum;
}

}  // namespace

// sumsOfSquares(xs: Float32Array[], out: Float32Array, wide): out[i] = the squared norm of xs[i]
Napi::Value SumsOfSquares(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto list = info[0].As<Napi::Array>();
  float* out = F32(info[1]);
  const bool wide = Bool(info[2]);
  const uint32_t count = list.Length();
  if (Fail(env, Len(info[1]) >= count, "sumsOfSquares: out shorter than the list")) return env.Undefined();
  std::vector<const float*> data(count);
  std::vector<size_t> sizes(count);
  for (uint32_t i = 0; i < count; ++i) {
    const Napi::Value item = list.Get(i);
    data[i] = F32(item);
    sizes[i] = Len(item);
  }
  ParallelFor(count, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = SumOfSquares(data[i], sizes[i], wide);
  });
  return env.Undefined();
}

}  // namespace lookright
