// Element-wise float32 add and multiply, out = a op b, where each of a and b has out's length or is one value
// (a scalar broadcast). One IEEE operation per element, so the result equals the backends' own kernels bit for bit.
#include "buffers.h"
#include "parallel.h"

namespace lookright {

template <typename Op>
static void ApplySerial(const float* a, const float* b, float* out, size_t n, bool scalarA, bool scalarB, Op op) {
  if (scalarA) {
    const float s = a[0];
    for (size_t i = 0; i < n; ++i) out[i] = op(s, b[i]);
  } else if (scalarB) {
    const float s = b[0];
    for (size_t i = 0; i < n; ++i) out[i] = op(a[i], s);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = op(a[i], b[i]);
  }
}

// ApplySerial over chunks of elements in parallel.
template <typename Op>
static void Apply(const float* a, const float* b, float* out, size_t n, bool scalarA, bool scalarB, Op op) {
  ParallelFor(static_cast<int64_t>(n), kElementsPerChunk, [&](int64_t begin, int64_t end) {
    ApplySerial(scalarA ? a : a + begin, scalarB ? b : b + begin, out + begin, static_cast<size_t>(end - begin),
                scalarA, scalarB, op);
  });
}

// binaryF32(op, a, b, out): op 0 = add, 1 = multiply
Napi::Value BinaryF32(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const int64_t op = Int(info[0]);
  const float* a = F32(info[1]);
  const float* b = F32(info[2]);
  float* out = F32(info[3]);
  const size_t n = Len(info[3]), na = Len(info[1]), nb = Len(info[2]);
  if (Fail(env, (na == n || na == 1) && (nb == n || nb == 1) && (op == 0 || op == 1), "binaryF32: bad lengths or op")) {
    return env.Undefined();
  }
  const bool scalarA = na == 1 && n != 1, scalarB = nb == 1 && n != 1;
  if (op == 0) {
    Apply(a, b, out, n, scalarA, scalarB, [](float x, float y) { return x + y; });
  } else {
    Apply(a, b, out, n, scalarA, scalarB, [](float x, float y) { return x * y; });
  }
  return env.Undefined();
}

}  // namespace lookright
