// Batched row-major SGEMM through OpenBLAS: C[i] = op(A[i]) * op(B[i]).
// A batch of 1 on either side broadcasts; when B is shared and A is not transposed
// the batch folds into one large GEMM (the common "activations x weight" case). A batch of small products
// (attention's per-head matrices) runs its entries in parallel, each a single-threaded SGEMM.
//
// Results must not depend on how many threads OpenBLAS runs (a cell's numbers would then depend on --workers or
// on the machine's core count under the same hash). Seen with OpenBLAS 0.3.21: a K of 688 or 1029 gave other bits
// with 2 threads than with 1, a K of 256 or less never did (SkylakeX, Cooperlake), so every product here runs K in
// chunks of at most kDepthChunk, each chunk accumulated into C in order. Where that is not enough (a core whose
// threaded products differ anyway, as Haswell's do), BlasThreadInvariant() says so and products run on one
// OpenBLAS thread.
#include <cblas.h>
#include <cstring>
#include <vector>
#include "buffers.h"
#include "gemm_args.h"
#include "parallel.h"
#include "product.h"

namespace lookright {

// dst [cols, rows] = src [rows, cols] transposed (row-major).
static void TransposeInto(const float* src, int64_t rows, int64_t cols, float* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
  }
}

// Per-entry m * n * k up to which a batch runs entries in parallel rather than threading each SGEMM (128^3).
constexpr int64_t kSmallGemmWork = int64_t{1} << 21;

// K up to which a product with a shared B runs on Product (product.h) rather than OpenBLAS; an m or n up to which a
// product runs on one OpenBLAS thread.
constexpr int64_t kThinDepth = 16;

// Values of K per cblas_sgemm call (SkylakeX and Cooperlake: the same bits for 1 to 4 threads). BlasThreadInvariant()
// checks this on the CPU at hand.
constexpr int64_t kDepthChunk = 256;

void SgemmInChunks(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda,
                          const float* b, int64_t ldb, float beta, float* c, int64_t ldc) {
  const auto opA = ta ? CblasTrans : CblasNoTrans;
  const auto opB = tb ? CblasTrans : CblasNoTrans;
  for (int64_t k0 = 0; k0 < k; k0 += kDepthChunk) {
    const int64_t depth = k - k0 < kDepthChunk ? k - k0 : kDepthChunk;
    const float* ak = ta ? a + k0 * lda : a + k0;
    const float* bk = tb ? b + k0 : b + k0 * ldb;
    cblas_sgemm(CblasRowMajor, opA, opB, m, n, depth, 1.0f, ak, lda, bk, ldb, k0 == 0 ? beta : 1.0f, c, ldc);
  }
}

// Whether this OpenBLAS gives the same bits for 1, 2 and 3 threads (products in K chunks), checked once.
bool BlasThreadInvariant() {
  static const bool invariant = [] {
    // Shapes where the drivers have been seen to differ: K between one and two blocks, odd sizes, thin products.
    const int64_t shapes[][3] = {{192, 200, 688}, {97, 131, 1029}, {512, 64, 64}, {64, 300, 256}};
    const int threads = openblas_get_num_threads();
    bool same = true;
    for (const auto& s : shapes) {
      const int64_t m = s[0], n = s[1], k = s[2];
      std::vector<float> a = ProbeOperand(m * k, 12345), b = ProbeOperand(k * n, 54321), c1(m * n), c2(m * n);
      for (const bool tb : {false, true}) {
        openblas_set_num_threads(1);
        SgemmInChunks(false, tb, m, n, k, a.data(), k, b.data(), tb ? k : n, 0.0f, c1.data(), n);
        for (const int t : {2, 3}) {
          openblas_set_num_threads(t);
          SgemmInChunks(false, tb, m, n, k, a.data(), k, b.data(), tb ? k : n, 0.0f, c2.data(), n);
          same = same && std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)) == 0;
        }
      }
    }
    openblas_set_num_threads(threads);
    return same;
  }();
  return invariant;
}

// OpenBLAS threads for one product: its setting, or 1 where threaded products differ (BlasThreadInvariant) or where
// `oneThread` asks for it. Either way the bits are those of any thread count (chunked K; or one thread always).
class ProductThreads {
 public:
  explicit ProductThreads(bool oneThread)
      : threads_(openblas_get_num_threads()), held_(threads_ > 1 && (oneThread || !BlasThreadInvariant())) {
    if (held_) openblas_set_num_threads(1);
  }
  ~ProductThreads() {
    if (held_) openblas_set_num_threads(threads_);
  }

 private:
  int threads_;
  bool held_;
};

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
  const int64_t lda = ta ? m : k, ldb = tb ? k : n;
  if (batchB == 1 && !ta && k <= kThinDepth && !g.bias && ProductMatchesBlas()) {
    // A thin K (a classifier head's input gradient: K = labels): OpenBLAS's threaded driver spends more on the call
    // than on the sums here; Product gives its bits (checked at load) on the kernel threads' row blocks.
    thread_local std::vector<float> bt;
    const float* rowMajorB = b;
    if (tb) {
      bt.resize(static_cast<size_t>(k * n));
      TransposeInto(b, n, k, bt.data());
      rowMajorB = bt.data();
    }
    ParallelFor(batchA * m, RowsPerChunk(n), [&](int64_t begin, int64_t end) {
      Product(a + begin * k, k, 1, rowMajorB, n, c + begin * n, n, end - begin, n, k);
    });
    return env.Undefined();
  }
  // A thin output (a classifier head's logits or weight gradient: n = labels) gains nothing from a second OpenBLAS
  // thread, whose wake-up after idle cost more than the product here (a VM's idle vCPU: [512,1024]^T [1024,9]
  // took 0.35-0.9 ms on 2 threads after 2 ms idle, 0.21-0.27 ms on one).
  ProductThreads productThreads(m <= kThinDepth || n <= kThinDepth);
  if (batchB == 1 && !ta) {
    SgemmInChunks(false, tb, batchA * m, n, k, a, lda, b, ldb, beta, c, n);
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
        SgemmInChunks(ta, false, m, n, k, a + i * strideA, lda, bt.data(), n, beta, c + i * m * n, n);
      }
      return;
    }
    for (int64_t i = begin; i < end; ++i) {
      SgemmInChunks(ta, tb, m, n, k, a + i * strideA, lda, b + i * strideB, ldb, beta, c + i * m * n, n);
    }
  };
  if (batch < 2 || KernelThreads() < 2 || !small) {
    entries(0, batch);
    return env.Undefined();
  }
  const int blasThreads = openblas_get_num_threads();
  openblas_set_num_threads(1);
  ParallelFor(batch, 1, entries);
  openblas_set_num_threads(blasThreads);
  return env.Undefined();
}

}  // namespace lookright
