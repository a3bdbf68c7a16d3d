// glibc's allocator knobs for processes that free many short-lived ArrayBuffers.
#include <malloc.h>

#include <cerrno>

#include "addon.h"

namespace shm_native {
namespace {

// mallocRetainFreed(trimThreshold, topPad) -> 0 | -errno (-ENOSYS without glibc's mallopt)
Napi::Value MallocRetainFreed(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  int trim_threshold = info[0].As<Napi::Number>().Int32Value();
  int top_pad = info[1].As<Napi::Number>().Int32Value();
#if defined(__GLIBC__)
  // mallopt returns 1 on success and 0 on error, without errno.
  if (mallopt(M_TRIM_THRESHOLD, trim_threshold) != 1 || mallopt(M_TOP_PAD, top_pad) != 1) {
    return Napi::Number::New(info.Env(), -EINVAL);
  }
  return Napi::Number::New(info.Env(), 0);
#else
  (void)trim_threshold;
  (void)top_pad;
  return Napi::Number::New(info.Env(), -ENOSYS);
#endif
}

}  // namespace

void RegisterMallocTuning(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports, {{"mallocRetainFreed", MallocRetainFreed}});
}

}  // namespace shm_native
