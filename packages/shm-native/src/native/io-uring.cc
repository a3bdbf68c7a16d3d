// io_uring_setup, io_uring_register and io_uring_enter: raw syscalls, no liburing.
//
// Why here: a write(2) of ours to a peer's eventfd blocks when the peer has cleared O_NONBLOCK
// on the shared description and filled the counter, and no per-call flag makes eventfd writes
// non-blocking (pwritev2 RWF_NOWAIT gives EOPNOTSUPP). An eventfd registered with a ring is
// signalled by the kernel's eventfd_signal on each completion, which never waits, whatever the
// file's flags or counter. The rings themselves are mapped through mmap() and driven from TS.
#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "addon.h"

namespace shm_native {
namespace {

// ioUringSetup(entries, params: Uint8Array(>= sizeof io_uring_params)) -> ring fd | -errno.
// `params` goes in zeroed except for what the caller set, and comes back filled by the kernel.
Napi::Value IoUringSetup(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectUint8Array(info, 1)) return Napi::Value();
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  if (bytes.ByteLength() < sizeof(struct io_uring_params)) {
    Napi::TypeError::New(info.Env(), "argument 1 must hold at least " +
                                         std::to_string(sizeof(struct io_uring_params)) + " bytes")
        .ThrowAsJavaScriptException();
    return Napi::Value();
  }
  struct io_uring_params params;
  std::memcpy(&params, bytes.Data(), sizeof params);
  long fd = syscall(__NR_io_uring_setup, info[0].As<Napi::Number>().Uint32Value(), &params);
  if (fd >= 0) std::memcpy(bytes.Data(), &params, sizeof params);
  return SyscallResult(info.Env(), static_cast<double>(fd));
}

// ioUringRegister(fd, opcode, args: Int32Array) -> result | -errno; nr_args = args.length.
Napi::Value IoUringRegister(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32Array(info, 2, 0)) {
    return Napi::Value();
  }
  Napi::Int32Array args = info[2].As<Napi::Int32Array>();
  long r = syscall(__NR_io_uring_register, info[0].As<Napi::Number>().Int32Value(),
                   info[1].As<Napi::Number>().Uint32Value(),
                   args.ElementLength() == 0 ? nullptr : args.Data(),
                   static_cast<unsigned int>(args.ElementLength()));
  return SyscallResult(info.Env(), static_cast<double>(r));
}

// ioUringEnter(fd, toSubmit, minComplete, flags) -> submitted | -errno (no signal mask).
Napi::Value IoUringEnter(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2) ||
      !ExpectInt32(info, 3)) {
    return Napi::Value();
  }
  long r = syscall(__NR_io_uring_enter, info[0].As<Napi::Number>().Int32Value(),
                   info[1].As<Napi::Number>().Uint32Value(), info[2].As<Napi::Number>().Uint32Value(),
                   info[3].As<Napi::Number>().Uint32Value(), nullptr, 0);
  return SyscallResult(info.Env(), static_cast<double>(r));
}

}  // namespace

void RegisterIoUring(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"ioUringSetup", IoUringSetup},
                   {"ioUringRegister", IoUringRegister},
                   {"ioUringEnter", IoUringEnter}});
}

}  // namespace shm_native
