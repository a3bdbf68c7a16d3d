// memfd_create and file seals.
#include <fcntl.h>
#include <sys/mman.h>

#include "addon.h"

namespace shm_native {
namespace {

// memfdCreate(name, flags) -> fd | -errno
Napi::Value MemfdCreate(const Napi::CallbackInfo& info) {
  if (!ExpectString(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  std::string name = info[0].As<Napi::String>();
  unsigned int flags = info[1].As<Napi::Number>().Uint32Value();
  return SyscallResult(info.Env(), memfd_create(name.c_str(), flags));
}

// fcntlAddSeals(fd, seals) -> 0 | -errno
Napi::Value FcntlAddSeals(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  int fd = info[0].As<Napi::Number>().Int32Value();
  int seals = info[1].As<Napi::Number>().Int32Value();
  return SyscallResult(info.Env(), fcntl(fd, F_ADD_SEALS, seals));
}

// fcntlGetSeals(fd) -> seals | -errno
Napi::Value FcntlGetSeals(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  return SyscallResult(info.Env(), fcntl(info[0].As<Napi::Number>().Int32Value(), F_GET_SEALS));
}

}  // namespace

void RegisterMemfd(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"memfdCreate", MemfdCreate},
                   {"fcntlAddSeals", FcntlAddSeals},
                   {"fcntlGetSeals", FcntlGetSeals}});
}

}  // namespace shm_native
