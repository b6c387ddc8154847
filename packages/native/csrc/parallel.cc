// The pool behind ParallelFor. A job is split into blocks that the caller and the woken workers claim one at a time
// from a shared counter, so a worker the OS has not scheduled yet (a loaded machine) never holds the caller up: the
// caller claims whatever is left and waits only for blocks already running. The counter carries the job's number
// in its upper 32 bits, so a worker that wakes late cannot claim a block of a job it did not read the parameters of.
// Workers wait for a new job with a short spin, then on a condition variable; the caller waits for blocks still
// running the same way. The pool is never destroyed
// (detached workers may still be waiting when the process exits).
#include "parallel.h"
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace lookright {

namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

constexpr int kMaxThreads = 64;
constexpr int kWorkerSpins = 256;
constexpr int kCallerSpins = 1024;
constexpr int kBlocksPerThread = 4;

using Job = std::function<void(int64_t, int64_t)>;

struct Pool {
  std::mutex mu;
  std::condition_variable wake;
  std::condition_variable finished;  // the caller sleeps on it when a worker's block outlasts its spin
  std::mutex dispatch;
  std::atomic<uint64_t> generation{0};
  // (job number << 32) | next unclaimed block
  std::atomic<uint64_t> claim{0};
  std::atomic<uint64_t> paramsJob{0};  // the job whose parameters job/items/blocks hold (written first)
  std::atomic<const Job*> job{nullptr};
  std::atomic<int64_t> items{0};
  std::atomic<int64_t> blocks{0};
  std::atomic<int64_t> done{0};
  int started = 0;
  std::atomic<int> threads{1};
};

Pool& ThePool() {
  static Pool* pool = [] {
    auto* p = new Pool();
    p->threads = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
    return p;
  }();
  return *pool;
}

// Claims and runs blocks of job `jobNumber` until none is left or another job has started. Every access is
// sequentially consistent: a claim succeeds only while the counter still holds the value read before the parameters,
// and the parameters are read before `paramsJob` is checked, so they are the parameters of the job claimed from.
void RunBlocks(Pool* p, uint64_t jobNumber) {
  for (;;) {
    const uint64_t s = p->claim.load();
    if ((s >> 32) != jobNumber) return;
    const Job* fn = p->job.load();
    const int64_t n = p->items.load();
    const int64_t blocks = p->blocks.load();
    if (p->paramsJob.load() != jobNumber) return;
    const int64_t block = static_cast<int64_t>(s & 0xffffffffu);
    if (block >= blocks) return;
    uint64_t expected = s;
    if (!p->claim.compare_exchange_strong(expected, s + 1)) continue;
    (*fn)(n * block / blocks, n * (block + 1) / blocks);
    if (p->done.fetch_add(1) + 1 == blocks) {
      std::lock_guard<std::mutex> lock(p->mu);
      p->finished.notify_all();
    }
  }
}

// `seen`: the generation before the worker's first job (read by the dispatcher, so no job is missed).
void WorkerLoop(Pool* p, uint64_t seen) {
  for (;;) {
    uint64_t g = seen;
    for (int i = 0; i < kWorkerSpins && g == seen; ++i) {
      CpuRelax();
      g = p->generation.load(std::memory_order_acquire);
    }
    if (g == seen) {
      std::unique_lock<std::mutex> lock(p->mu);
      p->wake.wait(lock, [&] { return p->generation.load(std::memory_order_acquire) != seen; });
      g = p->generation.load(std::memory_order_acquire);
    }
    seen = g;
    RunBlocks(p, p->claim.load() >> 32);
  }
}

}  // namespace

int KernelThreads() { return ThePool().threads.load(); }

void SetKernelThreads(int threads) {
  ThePool().threads = threads < 1 ? 1 : (threads > kMaxThreads ? kMaxThreads : threads);
}

void ParallelFor(int64_t n, int64_t minItems, const std::function<void(int64_t, int64_t)>& fn) {
  Pool& p = ThePool();
  const int threads = p.threads.load();
  const int64_t perBlock = minItems < 1 ? 1 : minItems;
  int64_t blocks = n / perBlock;
  if (blocks > int64_t{threads} * kBlocksPerThread) blocks = int64_t{threads} * kBlocksPerThread;
  if (threads < 2 || blocks < 2 || !p.dispatch.try_lock()) {
    if (n > 0) fn(0, n);
    return;
  }
  std::lock_guard<std::mutex> held(p.dispatch, std::adopt_lock);
  while (p.started < threads - 1) {
    ++p.started;
    std::thread(WorkerLoop, &p, p.generation.load(std::memory_order_acquire)).detach();
  }
  const uint64_t jobNumber = ((p.claim.load() >> 32) + 1) & 0xffffffffu;
  p.paramsJob.store(jobNumber);
  p.job.store(&fn);
  p.items.store(n);
  p.blocks.store(blocks);
  p.done.store(0);
  p.claim.store(jobNumber << 32);
  {
    std::lock_guard<std::mutex> lock(p.mu);
    p.generation.fetch_add(1);
  }
  p.wake.notify_all();
  RunBlocks(&p, jobNumber);
  for (int spins = 0; spins < kCallerSpins && p.done.load() != blocks; ++spins) CpuRelax();
  if (p.done.load() != blocks) {
    // a worker was descheduled mid-block (a loaded machine): sleep instead of burning the core it needs
    std::unique_lock<std::mutex> lock(p.mu);
    p.finished.wait(lock, [&] { return p.done.load() == blocks; });
  }
}

}  // namespace lookright
