// Sums along rows, several rows at a time. Each row keeps its own double accumulator and adds its terms in column
// order, so every sum has the same bits as a plain loop over that row; the rows' chains are interleaved, so the
// additions overlap instead of each one waiting on the previous one's latency.
#pragma once
#include <cstdint>

namespace lookright {

/** Rows whose sums InterleavedRowSums runs side by side. */
constexpr int64_t kRowsAtOnce = 8;

/**
 * out[k] = term(k, 0) + term(k, 1) + ... + term(k, cols - 1), added in that order in double, for each k < rows
 * (at most kRowsAtOnce). term returns the double to add.
 */
template <typename Term>
inline void InterleavedRowSums(int64_t rows, int64_t cols, double* out, Term term) {
  double sum[kRowsAtOnce] = {};
  if (rows == kRowsAtOnce) {
    for (int64_t j = 0; j < cols; ++j) {
      for (int64_t k = 0; k < kRowsAtOnce; ++k) sum[k] += term(k, j);
    }
  } else {
    for (int64_t j = 0; j < cols; ++j) {
      for (int64_t k = 0; k < rows; ++k) sum[k] += term(k, j);
    }
  }
  for (int64_t k = 0; k < rows; ++k) out[k] = sum[k];
}

}  // namespace lookright
