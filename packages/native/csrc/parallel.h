// A small persistent thread pool for the element-wise kernels and batches of small GEMMs. Work is split into
// contiguous chunks of whole items (rows, batch entries, elements); each item is computed exactly as the serial
// loop computes it, so results do not depend on the thread count.
#pragma once
#include <cstdint>
#include <functional>

namespace lookright {

/** Threads ParallelFor uses (the caller included); 1 runs everything on the caller. */
int KernelThreads();

/** Sets the thread count (at least 1); extra worker threads start on first use and are kept. */
void SetKernelThreads(int threads);

/**
 * Calls fn(begin, end) over contiguous blocks covering [0, n) (at least minItems items each, up to 4 per thread),
 * which the caller and the pool's workers claim one at a time. With fewer than 2 * minItems items, one thread, or
 * another ParallelFor in progress (a second JS thread), it runs fn(0, n) on the caller. Returns when every block is
 * done. fn must not call into JavaScript.
 */
void ParallelFor(int64_t n, int64_t minItems, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace lookright

namespace lookright {

/** Elements per chunk below which element-wise work stays on one thread (a wake-up costs a few microseconds). */
constexpr int64_t kElementsPerChunk = 32768;

/** Rows of `cols` values per chunk for kElementsPerChunk elements (at least 1). */
inline int64_t RowsPerChunk(int64_t cols) { return cols >= kElementsPerChunk ? 1 : kElementsPerChunk / (cols < 1 ? 1 : cols); }

/** Columns per chunk when each column runs down `rows` values. */
inline int64_t ColumnsPerChunk(int64_t rows) { return RowsPerChunk(rows); }

}  // namespace lookright
