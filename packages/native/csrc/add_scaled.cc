// c = addend + c * scale, element-wise: the epilogue that adds a GEMM's product into a residual stream or a
// LoRA update into its base projection. Two roundings, in this order (multiply, then add), exactly as the tfjs
// ops mul then add would round them: contraction into one fused multiply-add is switched off here.
#pragma GCC optimize("fp-contract=off")
#include "buffers.h"
#include "parallel.h"

namespace lookright {

static void AddScaledRange(float* c, const float* addend, float scale, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i) {
    const float product = c[i] * scale;
    c[i] = addend[i] + product;
  }
}

// addScaledInto(c, addend, scale)
Napi::Value AddScaledInto(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  float* c = F32(info[0]);
  const float* addend = F32(info[1]);
  const float scale = static_cast<float>(Num(info[2]));
  const size_t n = Len(info[0]);
  if (Fail(env, Len(info[1]) == n, "addScaledInto: addend and c differ in length")) return env.Undefined();
  ParallelFor(static_cast<int64_t>(n), kElementsPerChunk,
              [&](int64_t begin, int64_t end) { AddScaledRange(c, addend, scale, begin, end); });
  return env.Undefined();
}

}  // namespace lookright
