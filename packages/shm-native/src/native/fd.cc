// Plain descriptor and path syscalls: close, dup, open, unlink, chmod, chown, ftruncate, fstat.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addon.h"

namespace shm_native {
namespace {

int FdArg(const Napi::CallbackInfo& info, size_t index) {
  return info[index].As<Napi::Number>().Int32Value();
}

// close(fd) -> 0 | -errno
Napi::Value Close(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  return SyscallResult(info.Env(), close(FdArg(info, 0)));
}

// dup(fd) -> new fd (F_DUPFD_CLOEXEC, lowest free number >= 3) | -errno
Napi::Value Dup(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  return SyscallResult(info.Env(), fcntl(FdArg(info, 0), F_DUPFD_CLOEXEC, 3));
}

// open(path, flags, mode) -> fd | -errno
Napi::Value Open(const Napi::CallbackInfo& info) {
  if (!ExpectString(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2)) return Napi::Value();
  std::string path = info[0].As<Napi::String>();
  int flags = FdArg(info, 1);
  mode_t mode = info[2].As<Napi::Number>().Uint32Value();
  return SyscallResult(info.Env(), open(path.c_str(), flags, mode));
}

// unlink(path) -> 0 | -errno
Napi::Value Unlink(const Napi::CallbackInfo& info) {
  if (!ExpectString(info, 0)) return Napi::Value();
  std::string path = info[0].As<Napi::String>();
  return SyscallResult(info.Env(), unlink(path.c_str()));
}

// chmod(path, mode) -> 0 | -errno
Napi::Value Chmod(const Napi::CallbackInfo& info) {
  if (!ExpectString(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  std::string path = info[0].As<Napi::String>();
  return SyscallResult(info.Env(), chmod(path.c_str(), info[1].As<Napi::Number>().Uint32Value()));
}

// chown(path, uid, gid) -> 0 | -errno; -1 leaves that id unchanged, as in chown(2).
Napi::Value Chown(const Napi::CallbackInfo& info) {
  if (!ExpectString(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2)) return Napi::Value();
  std::string path = info[0].As<Napi::String>();
  uid_t uid = static_cast<uid_t>(info[1].As<Napi::Number>().Int64Value());
  gid_t gid = static_cast<gid_t>(info[2].As<Napi::Number>().Int64Value());
  return SyscallResult(info.Env(), chown(path.c_str(), uid, gid));
}

// ftruncate(fd, length) -> 0 | -errno
Napi::Value Ftruncate(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt(info, 1)) return Napi::Value();
  off_t length = static_cast<off_t>(info[1].As<Napi::Number>().Int64Value());
  return SyscallResult(info.Env(), ftruncate(FdArg(info, 0), length));
}

// fcntlGetFl(fd) -> file status flags | -errno
Napi::Value FcntlGetFl(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  return SyscallResult(info.Env(), fcntl(FdArg(info, 0), F_GETFL));
}

// fcntlSetFl(fd, flags) -> 0 | -errno
Napi::Value FcntlSetFl(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  return SyscallResult(info.Env(), fcntl(FdArg(info, 0), F_SETFL, FdArg(info, 1)));
}

// fstat(fd, out: Float64Array(4)) -> 0 | -errno; out = [size, mode, uid, gid]
Napi::Value Fstat(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ExpectInt32(info, 0)) return Napi::Value();
  Napi::Value out_value = info[1];
  if (!out_value.IsTypedArray() ||
      out_value.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      out_value.As<Napi::TypedArray>().ElementLength() < 4) {
    Napi::TypeError::New(env, "argument 1 must be a Float64Array of length >= 4")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  struct stat st;
  if (fstat(FdArg(info, 0), &st) < 0) return SyscallResult(env, -1);
  Napi::Float64Array out = out_value.As<Napi::Float64Array>();
  out[0] = static_cast<double>(st.st_size);
  out[1] = st.st_mode;
  out[2] = st.st_uid;
  out[3] = st.st_gid;
  return Napi::Number::New(env, 0);
}

}  // namespace

void RegisterFd(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"close", Close},
                   {"dup", Dup},
                   {"open", Open},
                   {"unlink", Unlink},
                   {"chmod", Chmod},
                   {"chown", Chown},
                   {"ftruncate", Ftruncate},
                   {"fcntlGetFl", FcntlGetFl},
                   {"fcntlSetFl", FcntlSetFl},
                   {"fstat", Fstat}});
}

}  // namespace shm_native
