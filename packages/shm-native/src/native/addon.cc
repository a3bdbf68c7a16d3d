#include "addon.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

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
  return exports;
}

void ExportFunctions(Napi::Env env, Napi::Object exports,
                     std::initializer_list<std::pair<const char*, NativeFunction>> functions) {
  for (const auto& [name, function] : functions) {
    exports.Set(name, Napi::Function::New(env, function, name));
  }
}

bool ExpectInt(const Napi::CallbackInfo& info, size_t index) {
  return info[index].IsNumber() || ThrowType(info, index, "a number");
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
