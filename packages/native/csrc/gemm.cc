// Batched row-major SGEMM through OpenBLAS: C[i] = op(A[i]) * op(B[i]).
// A batch of 1 on either side broadcasts; when B is shared and A is not transposed
// the batch folds into one large GEMM (the common "activations x weight" case). A batch of small products
// (attention's per-head matrices) runs its entries in parallel, each a single-threaded SGEMM.
#include <cblas.h>
#include <vector>
#include "buffers.h"
#include "parallel.h"

namespace lookright {

// dst [cols, rows] = src [rows, cols] transposed (row-major).
static void TransposeInto(const float* src, int64_t rows, int64_t cols, float* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
  }
}

// Per-entry m * n * k up to which a batch runs entries in parallel rather than threading each SGEMM (128^3).
constexpr int64_t kSmallGemmWork = int64_t{1} << 21;

// gemm(a, b, c, batchA, batchB, m, n, k, transA, transB, bias?) ; bias [n] is added to every row of C
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* a = F32(info[0]);
  const float* b = F32(info[1]);
  float* c = F32(info[2]);
  const int64_t batchA = Int(info[3]), batchB = Int(info[4]);
  const int64_t m = Int(info[5]), n = Int(info[6]), k = Int(info[7]);
  const bool ta = Bool(info[8]), tb = Bool(info[9]);
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if (Fail(env, (batchA == batch || batchA == 1) && (batchB == batch || batchB == 1), "gemm: batch mismatch")) {
    return env.Undefined();
  }
  if (Fail(env, Len(info[0]) >= static_cast<size_t>(batchA * m * k) && Len(info[1]) >= static_cast<size_t>(batchB * k * n) &&
                    Len(info[2]) >= static_cast<size_t>(batch * m * n),
           "gemm: buffer smaller than its shape")) {
    return env.Undefined();
  }
  const bool hasBias = info.Length() > 10 && info[10].IsTypedArray();
  if (Fail(env, !hasBias || Len(info[10]) >= static_cast<size_t>(n), "gemm: bias shorter than n")) return env.Undefined();
  const float beta = hasBias ? 1.0f : 0.0f;
  if (hasBias) {
    const float* bias = F32(info[10]);
    for (int64_t r = 0; r < batch * m; ++r) {
      for (int64_t j = 0; j < n; ++j) c[r * n + j] = bias[j];
    }
  }
  const auto opA = ta ? CblasTrans : CblasNoTrans;
  const auto opB = tb ? CblasTrans : CblasNoTrans;
  const int lda = ta ? m : k, ldb = tb ? k : n;
  if (batchB == 1 && !ta) {
    cblas_sgemm(CblasRowMajor, opA, opB, batchA * m, n, k, 1.0f, a, lda, b, ldb, beta, c, n);
    return env.Undefined();
  }
  const int64_t strideA = batchA == 1 ? 0 : m * k;
  const int64_t strideB = batchB == 1 ? 0 : k * n;
  const bool small = m * n * k <= kSmallGemmWork;
  const auto entries = [&](int64_t begin, int64_t end) {
    if (small && tb && !ta) {
      // OpenBLAS's small NT products run at about 60% of the NN rate here; NN over B transposed into scratch gives
      // the same bits (the same products summed in the same order) faster.
      thread_local std::vector<float> bt;
      bt.resize(static_cast<size_t>(k * n));
      for (int64_t i = begin; i < end; ++i) {
        TransposeInto(b + i * strideB, n, k, bt.data());
        cblas_sgemm(CblasRowMajor, opA, CblasNoTrans, m, n, k, 1.0f, a + i * strideA, lda, bt.data(), n, beta,
                    c + i * m * n, n);
      }
      return;
    }
    for (int64_t i = begin; i < end; ++i) {
      cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, 1.0f, a + i * strideA, lda, b + i * strideB, ldb, beta,
                  c + i * m * n, n);
    }
  };
  const int blasThreads = openblas_get_num_threads();
  if (batch < 2 || KernelThreads() < 2 || !small) {
    entries(0, batch);
    return env.Undefined();
  }
  openblas_set_num_threads(1);
  ParallelFor(batch, 1, entries);
  openblas_set_num_threads(blasThreads);
  return env.Undefined();
}

}  // namespace lookright
