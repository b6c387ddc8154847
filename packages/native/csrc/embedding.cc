// Embedding lookup and its gradient (scatter-add into a zeroed [V,H] table gradient).
// An id outside [0, V) throws a RangeError naming it instead of reading out of bounds.
#include <cstring>
#include <string>
#include "buffers.h"

namespace lookright {

static bool CheckIds(const Napi::Env& env, const int32_t* ids, int64_t n, int64_t vocab) {
  for (int64_t i = 0; i < n; ++i) {
    if (ids[i] < 0 || ids[i] >= vocab) {
      std::string msg = "embedding: token id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                        " is outside the vocabulary [0, " + std::to_string(vocab) + ")";
      Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
      return false;
    }
  }
  return true;
}

// embeddingGather(table, ids, y, n, vocab, hidden)
Napi::Value EmbeddingGather(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* table = F32(info[0]);
  const int32_t* ids = I32(info[1]);
  float* y = F32(info[2]);
  const int64_t n = Int(info[3]), vocab = Int(info[4]), hidden = Int(info[5]);
  if (!CheckIds(env, ids, n, vocab)) return env.Undefined();
  for (int64_t i = 0; i < n; ++i) std::memcpy(y + i * hidden, table + ids[i] * hidden, hidden * sizeof(float));
  return env.Undefined();
}

// embeddingScatterAdd(dy, ids, dTable, n, vocab, hidden)
Napi::Value EmbeddingScatterAdd(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* dy = F32(info[0]);
  const int32_t* ids = I32(info[1]);
  float* dt = F32(info[2]);
  const int64_t n = Int(info[3]), vocab = Int(info[4]), hidden = Int(info[5]);
  if (!CheckIds(env, ids, n, vocab)) return env.Undefined();
  std::memset(dt, 0, vocab * hidden * sizeof(float));
  for (int64_t i = 0; i < n; ++i) {
    float* row = dt + ids[i] * hidden;
    const float* src = dy + i * hidden;
    for (int64_t j = 0; j < hidden; ++j) row[j] += src[j];
  }
  return env.Undefined();
}

}  // namespace lookright
