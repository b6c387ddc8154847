// The arguments gemm and gemmBf16 share, read and checked once:
// (a, b, c, batchA, batchB, m, n, k, transA, transB, bias?) with bias [n] added to every row of C.
#pragma once
#include <string>
#include "buffers.h"

namespace lookright {

struct GemmArgs {
  const float* a;
  const float* b;
  float* c;
  int64_t batchA, batchB, batch, m, n, k;
  bool ta, tb;
  const float* bias;  // nullptr when absent
};

/** Reads and checks the arguments; on a mismatch throws a JS RangeError named after `kernel` and returns false. */
inline bool ReadGemmArgs(const Napi::CallbackInfo& info, const char* kernel, GemmArgs* out) {
  auto env = info.Env();
  GemmArgs g{};
  g.a = F32(info[0]);
  g.b = F32(info[1]);
  g.c = F32(info[2]);
  g.batchA = Int(info[3]);
  g.batchB = Int(info[4]);
  g.m = Int(info[5]);
  g.n = Int(info[6]);
  g.k = Int(info[7]);
  g.ta = Bool(info[8]);
  g.tb = Bool(info[9]);
  g.batch = g.batchA > g.batchB ? g.batchA : g.batchB;
  const std::string name(kernel);
  if (Fail(env, (g.batchA == g.batch || g.batchA == 1) && (g.batchB == g.batch || g.batchB == 1),
           (name + ": batch mismatch").c_str())) {
    return false;
  }
  if (Fail(env, Len(info[0]) >= static_cast<size_t>(g.batchA * g.m * g.k) &&
                    Len(info[1]) >= static_cast<size_t>(g.batchB * g.k * g.n) &&
                    Len(info[2]) >= static_cast<size_t>(g.batch * g.m * g.n),
           (name + ": buffer smaller than its shape").c_str())) {
    return false;
  }
  const bool hasBias = info.Length() > 10 && info[10].IsTypedArray();
  if (Fail(env, !hasBias || Len(info[10]) >= static_cast<size_t>(g.n), (name + ": bias shorter than n").c_str())) {
    return false;
  }
  g.bias = hasBias ? F32(info[10]) : nullptr;
  *out = g;
  return true;
}

}  // namespace lookright
