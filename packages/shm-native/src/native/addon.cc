#include "addon.h"

#include <fcntl.h>
#include <linux/io_uring.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cmath>

namespace shm_native {

InstanceData& Instance(Napi::Env env) { return *env.GetInstanceData<InstanceData>(); }

namespace {

bool ThrowType(const Napi::CallbackInfo& info, size_t index, const char* expected) {
  std::string message = "argument " + std::to_string(index) + " must be " + expected;
  Napi::TypeError::New(info.Env(), message).ThrowAsJavaScriptException();
  return false;
}

void SetConstant(Napi::Env env, Napi::Object target, const char* name, double value) {
  target.Set(name, Napi::Number::New(env, value));
}

// Syscall flag values are exported rather than hard-coded in TS so they always match the
// headers this addon was compiled against.
Napi::Object Constants(Napi::Env env) {
  Napi::Object c = Napi::Object::New(env);
  SetConstant(env, c, "MFD_CLOEXEC", MFD_CLOEXEC);
  SetConstant(env, c, "MFD_ALLOW_SEALING", MFD_ALLOW_SEALING);
  SetConstant(env, c, "MFD_HUGETLB", MFD_HUGETLB);
  SetConstant(env, c, "F_SEAL_SEAL", F_SEAL_SEAL);
  SetConstant(env, c, "F_SEAL_SHRINK", F_SEAL_SHRINK);
  SetConstant(env, c, "F_SEAL_GROW", F_SEAL_GROW);
  SetConstant(env, c, "F_SEAL_WRITE", F_SEAL_WRITE);
  SetConstant(env, c, "O_RDONLY", O_RDONLY);
  SetConstant(env, c, "O_RDWR", O_RDWR);
  SetConstant(env, c, "O_CREAT", O_CREAT);
  SetConstant(env, c, "O_EXCL", O_EXCL);
  SetConstant(env, c, "O_CLOEXEC", O_CLOEXEC);
  SetConstant(env, c, "EFD_CLOEXEC", EFD_CLOEXEC);
  SetConstant(env, c, "EFD_NONBLOCK", EFD_NONBLOCK);
  SetConstant(env, c, "EFD_SEMAPHORE", EFD_SEMAPHORE);
  SetConstant(env, c, "AF_UNIX", AF_UNIX);
  SetConstant(env, c, "SOCK_SEQPACKET", SOCK_SEQPACKET);
  SetConstant(env, c, "SOCK_NONBLOCK", SOCK_NONBLOCK);
  SetConstant(env, c, "SOCK_CLOEXEC", SOCK_CLOEXEC);
  SetConstant(env, c, "SOL_SOCKET", SOL_SOCKET);
  SetConstant(env, c, "SO_PASSCRED", SO_PASSCRED);
  SetConstant(env, c, "SO_ERROR", SO_ERROR);
  SetConstant(env, c, "SHUT_RD", SHUT_RD);
  SetConstant(env, c, "SHUT_WR", SHUT_WR);
  SetConstant(env, c, "SHUT_RDWR", SHUT_RDWR);
  SetConstant(env, c, "MSG_TRUNC", MSG_TRUNC);
  SetConstant(env, c, "MSG_CTRUNC", MSG_CTRUNC);
  SetConstant(env, c, "UV_READABLE", UV_READABLE);
  SetConstant(env, c, "UV_WRITABLE", UV_WRITABLE);
  SetConstant(env, c, "UV_DISCONNECT", UV_DISCONNECT);
  SetConstant(env, c, "O_NONBLOCK", O_NONBLOCK);
  SetConstant(env, c, "F_GETFL", F_GETFL);
  SetConstant(env, c, "EPOLL_CLOEXEC", EPOLL_CLOEXEC);
  SetConstant(env, c, "EPOLL_CTL_ADD", EPOLL_CTL_ADD);
  SetConstant(env, c, "EPOLL_CTL_DEL", EPOLL_CTL_DEL);
  SetConstant(env, c, "EPOLLIN", EPOLLIN);
  SetConstant(env, c, "EPOLLET", EPOLLET);
  SetConstant(env, c, "IORING_OFF_SQ_RING", static_cast<double>(IORING_OFF_SQ_RING));
  SetConstant(env, c, "IORING_OFF_CQ_RING", static_cast<double>(IORING_OFF_CQ_RING));
  SetConstant(env, c, "IORING_OFF_SQES", static_cast<double>(IORING_OFF_SQES));
  SetConstant(env, c, "IORING_REGISTER_EVENTFD", IORING_REGISTER_EVENTFD);
  SetConstant(env, c, "IORING_OP_NOP", IORING_OP_NOP);
  SetConstant(env, c, "IORING_ENTER_GETEVENTS", IORING_ENTER_GETEVENTS);
  SetConstant(env, c, "IO_URING_PARAMS_SIZE", sizeof(struct io_uring_params));
  SetConstant(env, c, "IO_URING_SQE_SIZE", sizeof(struct io_uring_sqe));
  SetConstant(env, c, "PAGE_SIZE", static_cast<double>(sysconf(_SC_PAGESIZE)));
  c.Freeze();
  return c;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new InstanceData());
  exports.Set("constants", Constants(env));
  RegisterFd(env, exports);
  RegisterMemfd(env, exports);
  RegisterMmap(env, exports);
  RegisterEventfd(env, exports);
  RegisterSocket(env, exports);
  RegisterFdWatcher(env, exports);
  RegisterEpoll(env, exports);
  RegisterIoUring(env, exports);
  RegisterMallocTuning(env, exports);
  return exports;
}

void ExportFunctions(Napi::Env env, Napi::Object exports,
                     std::initializer_list<std::pair<const char*, NativeFunction>> functions) {
  for (const auto& [name, function] : functions) {
    exports.Set(name, Napi::Function::New(env, function, name));
  }
}

namespace {

// NaN, fractions and out-of-range values would otherwise convert silently (NaN to 0: stdin).
bool IsIntegerIn(const Napi::Value& value, double min, double max) {
  if (!value.IsNumber()) return false;
  double v = value.As<Napi::Number>().DoubleValue();
  return std::isfinite(v) && std::trunc(v) == v && v >= min && v <= max;
}

constexpr double kMaxSafeInteger = 9007199254740991.0;

}  // namespace

bool ExpectInt(const Napi::CallbackInfo& info, size_t index) {
  return IsIntegerIn(info[index], -kMaxSafeInteger, kMaxSafeInteger) ||
         ThrowType(info, index, "a safe integer");
}

bool ExpectInt32(const Napi::CallbackInfo& info, size_t index) {
  return IsIntegerIn(info[index], -2147483648.0, 4294967295.0) ||
         ThrowType(info, index, "an integer in [-2^31, 2^32 - 1]");
}

bool ExpectString(const Napi::CallbackInfo& info, size_t index) {
  return info[index].IsString() || ThrowType(info, index, "a string");
}

bool ExpectUint8Array(const Napi::CallbackInfo& info, size_t index) {
  Napi::Value v = info[index];
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_uint8_array) {
    return true;
  }
  return ThrowType(info, index, "a Uint8Array");
}

bool ExpectInt32Array(const Napi::CallbackInfo& info, size_t index, size_t min_length) {
  Napi::Value v = info[index];
  if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_int32_array &&
      v.As<Napi::TypedArray>().ElementLength() >= min_length) {
    return true;
  }
  return ThrowType(info, index, ("an Int32Array of length >= " + std::to_string(min_length)).c_str());
}

}  // namespace shm_native

static Napi::Object InitShmNative(Napi::Env env, Napi::Object exports) {
  return shm_native::Init(env, exports);
}

NODE_API_MODULE(shm_native, InitShmNative)
