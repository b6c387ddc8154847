// Batched row-major SGEMM through OpenBLAS: C[i] = op(A[i]) * op(B[i]).
// A batch of 1 on either side broadcasts; when B is shared and A is not transposed
// the batch folds into one large GEMM (the common "activations x weight" case). A batch of small products
// (attention's per-head matrices) runs its entries in parallel, each a single-threaded SGEMM.
#include <cblas.h>
#include <vector>
#include "buffers.h"
#include "gemm_args.h"
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
  GemmArgs g;
  if (!ReadGemmArgs(info, "gemm", &g)) return env.Undefined();
  const float* a = g.a;
  const float* b = g.b;
  float* c = g.c;
  const int64_t batchA = g.batchA, batchB = g.batchB, batch = g.batch, m = g.m, n = g.n, k = g.k;
  const bool ta = g.ta, tb = g.tb;
  const float beta = g.bias ? 1.0f : 0.0f;
  if (g.bias) {
    for (int64_t r = 0; r < batch * m; ++r) {
      for (int64_t j = 0; j < n; ++j) c[r * n + j] = g.bias[j];
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
