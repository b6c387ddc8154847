// The squared L2 norm of each of several float32 arrays, as tf.sum(tf.square(x)) computes it on each backend: every
// square rounded to float32 (tf.square), then added in element order, in a float accumulator (wasm's Sum) or a
// double rounded once at the end (cpu's Sum, a JavaScript number). Bit-identical to those ops, so contraction and
// reassociation are off for this file.
#pragma GCC optimize("no-fast-math", "fp-contract=off")
#include <algorithm>
#include <vector>
#include "buffers.h"
#include "parallel.h"

namespace lookright {

namespace {

// Arrays summed side by side: each keeps its own accumulator and its own element order (the same bits as one at a
// time), but the independent chains overlap, so a group costs about as much as its longest array's additions
// rather than the sum of all of them (one serial chain waits on each add's latency).
constexpr size_t kGroup = 8;
/** Elements SumTail tests for zero at a time. */
constexpr size_t kZeroBlock = 16;

// sum + x[begin..end)^2 in order, one chain. A block of zeros is skipped: its squares are +0, and adding +0 leaves
// a sum that is never -0 (it starts at +0 and adds squares) unchanged, NaN included. This is what makes a sparse
// gradient cheap, such as an embedding's, where only the rows of the batch's tokens are not zero.
template <typename Acc>
Acc SumTail(const float* x, size_t begin, size_t end, Acc sum) {
  size_t i = begin;
  for (; i + kZeroBlock <= end; i += kZeroBlock) {
    bool nonzero = false;
    for (size_t t = 0; t < kZeroBlock; ++t) nonzero |= x[i + t] != 0.0f;
    if (!nonzero) continue;
    for (size_t t = 0; t < kZeroBlock; ++t) {
      const float square = x[i + t] * x[i + t];
      sum += static_cast<Acc>(square);
    }
  }
  for (; i < end; ++i) {
    const float square = x[i] * x[i];
    sum += static_cast<Acc>(square);
  }
  return sum;
}

/** One array of the list and where its squared norm goes. */
struct Entry {
  const float* data;
  size_t size;
  float* out;
};

template <typename Acc>
void SumGroup(const Entry* entries, size_t count) {
  Acc sum[kGroup] = {};
  size_t common = entries[0].size;
  for (size_t k = 1; k < count; ++k) common = entries[k].size < common ? entries[k].size : common;
  for (size_t i = 0; i < common; ++i) {
    for (size_t k = 0; k < count; ++k) {
      const float square = entries[k].data[i] * entries[k].data[i];
      sum[k] += static_cast<Acc>(square);
    }
  }
  for (size_t k = 0; k < count; ++k) {
    *entries[k].out = static_cast<float>(SumTail(entries[k].data, common, entries[k].size, sum[k]));
  }
}

}  // namespace

// sumsOfSquares(xs: Float32Array[], out: Float32Array, wide): out[i] = the squared norm of xs[i]
// The arrays are ordered by length, longest first, and summed kGroup at a time (SumGroup), the groups split over
// the kernel threads; the longest group starts first, since its longest array bounds the whole call.
Napi::Value SumsOfSquares(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto list = info[0].As<Napi::Array>();
  float* out = F32(info[1]);
  const bool wide = Bool(info[2]);
  const uint32_t count = list.Length();
  if (Fail(env, Len(info[1]) >= count, "sumsOfSquares: out shorter than the list")) return env.Undefined();
  std::vector<Entry> entries(count);
  for (uint32_t i = 0; i < count; ++i) {
    const Napi::Value item = list.Get(i);
    entries[i] = {F32(item), Len(item), out + i};
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.size > b.size; });
  const int64_t groups = (count + kGroup - 1) / kGroup;
  ParallelFor(groups, 1, [&](int64_t begin, int64_t end) {
    for (int64_t g = begin; g < end; ++g) {
      const size_t first = static_cast<size_t>(g) * kGroup;
      const size_t n = count - first < kGroup ? count - first : kGroup;
      if (wide) {
        SumGroup<double>(&entries[first], n);
      } else {
        SumGroup<float>(&entries[first], n);
      }
    }
  });
  return env.Undefined();
}

}  // namespace lookright
