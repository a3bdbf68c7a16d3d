// eventfd create, read and write.
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

#include "addon.h"

namespace shm_native {
namespace {

// eventfd(initval, flags) -> fd | -errno
Napi::Value Eventfd(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  unsigned int initval = info[0].As<Napi::Number>().Uint32Value();
  int flags = info[1].As<Napi::Number>().Int32Value();
  return SyscallResult(info.Env(), eventfd(initval, flags));
}

// eventfdRead(fd) -> counter (> 0) | -errno. Counters above 2^53 lose precision as a double.
Napi::Value EventfdRead(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  uint64_t value = 0;
  ssize_t n = read(info[0].As<Napi::Number>().Int32Value(), &value, sizeof value);
  if (n < 0) return SyscallResult(info.Env(), -1);
  return Napi::Number::New(info.Env(), static_cast<double>(value));
}

// eventfdWrite(fd, value) -> 0 | -errno
Napi::Value EventfdWrite(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt(info, 1)) return Napi::Value();
  uint64_t value = static_cast<uint64_t>(info[1].As<Napi::Number>().DoubleValue());
  ssize_t n = write(info[0].As<Napi::Number>().Int32Value(), &value, sizeof value);
  return SyscallResult(info.Env(), n < 0 ? -1 : 0);
}

}  // namespace

void RegisterEventfd(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"eventfd", Eventfd},
                   {"eventfdRead", EventfdRead},
                   {"eventfdWrite", EventfdWrite}});
}

}  // namespace shm_native
