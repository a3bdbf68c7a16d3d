// Shared declarations of the shm-native addon. Every exported function is one syscall: it
// returns a plain number (the result, or -errno on failure) or fills a caller-provided buffer.
// Argument checking, defaults and error construction live in TypeScript.
#ifndef MEMIF_SHM_NATIVE_ADDON_H_
#define MEMIF_SHM_NATIVE_ADDON_H_

#include <napi.h>

#include <cerrno>
#include <memory>
#include <initializer_list>
#include <unordered_map>
#include <utility>

namespace shm_native {

struct Mapping;

// Live mappings of one environment, keyed by address. Shared between the environment and
// every mapping's finalizer, since V8 may run a finalizer after the environment's instance
// data is gone.
using MappingRegistry = std::unordered_map<void*, Mapping*>;

// Per-environment state (worker threads each get their own): no static JS handles anywhere.
struct InstanceData {
  std::shared_ptr<MappingRegistry> mappings = std::make_shared<MappingRegistry>();
};

InstanceData& Instance(Napi::Env env);

Napi::Object Init(Napi::Env env, Napi::Object exports);

// `result` when it is >= 0, otherwise -errno of the failed call.
inline Napi::Value SyscallResult(Napi::Env env, double result) {
  return Napi::Number::New(env, result < 0 ? -errno : result);
}

// Throws a TypeError (and returns false) unless info[index] satisfies the check. Only guards
// against misuse that would otherwise crash the process; the TS layer validates properly.
// ExpectInt: a safe integer (lengths, offsets, counter values). ExpectInt32: an integer that
// converts to int32/uint32 without wrapping (fds, flags, modes).
bool ExpectInt(const Napi::CallbackInfo& info, size_t index);
bool ExpectInt32(const Napi::CallbackInfo& info, size_t index);
bool ExpectString(const Napi::CallbackInfo& info, size_t index);
bool ExpectUint8Array(const Napi::CallbackInfo& info, size_t index);
bool ExpectInt32Array(const Napi::CallbackInfo& info, size_t index, size_t min_length);

using NativeFunction = Napi::Value (*)(const Napi::CallbackInfo&);

// Adds each {name, function} pair to `exports`.
void ExportFunctions(Napi::Env env, Napi::Object exports,
                     std::initializer_list<std::pair<const char*, NativeFunction>> functions);

void RegisterFd(Napi::Env env, Napi::Object exports);
void RegisterMemfd(Napi::Env env, Napi::Object exports);
void RegisterMmap(Napi::Env env, Napi::Object exports);
void RegisterEventfd(Napi::Env env, Napi::Object exports);
void RegisterSocket(Napi::Env env, Napi::Object exports);
void RegisterFdWatcher(Napi::Env env, Napi::Object exports);
void RegisterEpoll(Napi::Env env, Napi::Object exports);
void RegisterIoUring(Napi::Env env, Napi::Object exports);
void RegisterMallocTuning(Napi::Env env, Napi::Object exports);

}  // namespace shm_native

#endif  // MEMIF_SHM_NATIVE_ADDON_H_
