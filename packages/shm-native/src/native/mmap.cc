// mmap a descriptor into an external ArrayBuffer, and munmap it again.
//
// JS must never reach unmapped memory: munmap detaches the ArrayBuffer before unmapping, so
// stale views see byteLength 0: element reads give undefined and writes are dropped (only
// methods such as set() or subarray() throw), never a fault. The ArrayBuffer's finalizer
// unmaps only if munmap was never called (a backstop for leaked regions).
#include <sys/mman.h>

#include "addon.h"

namespace shm_native {

struct Mapping {
  void* address;
  size_t length;
  bool mapped;
  // False until the ArrayBuffer exists: a runtime that refuses to create it may already have
  // run the finalizer (Node 20 does, for lengths over buffer.constants.MAX_LENGTH), and the
  // mapping must then be released exactly once.
  bool adopted;
  // Kept alive by every mapping so a late finalizer can still deregister itself.
  std::shared_ptr<MappingRegistry> registry;
};

namespace {

void Unmap(Mapping* mapping) {
  munmap(mapping->address, mapping->length);
  mapping->mapped = false;
  auto it = mapping->registry->find(mapping->address);
  if (it != mapping->registry->end() && it->second == mapping) mapping->registry->erase(it);
}

void FinalizeMapping(napi_env /*env*/, void* /*data*/, void* hint) {
  Mapping* mapping = static_cast<Mapping*>(hint);
  if (mapping->mapped) Unmap(mapping);
  if (mapping->adopted) delete mapping;
}

double ArgToSize(const Napi::CallbackInfo& info, size_t index) {
  return info[index].As<Napi::Number>().DoubleValue();
}

// mmap(fd, length, offset) -> ArrayBuffer | -errno | null
// MAP_SHARED, PROT_READ|PROT_WRITE. -EOVERFLOW: the runtime refused an ArrayBuffer that large.
// null means the runtime refuses external buffers (V8
// sandbox builds); the region has been unmapped again by then.
Napi::Value Mmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ExpectInt32(info, 0) || !ExpectInt(info, 1) || !ExpectInt(info, 2)) return Napi::Value();
  int fd = info[0].As<Napi::Number>().Int32Value();
  double length = ArgToSize(info, 1);
  double offset = ArgToSize(info, 2);
  if (length <= 0 || offset < 0) return Napi::Number::New(env, -EINVAL);

  void* address = mmap(nullptr, static_cast<size_t>(length), PROT_READ | PROT_WRITE, MAP_SHARED,
                       fd, static_cast<off_t>(offset));
  if (address == MAP_FAILED) return SyscallResult(env, -1);

  Mapping* mapping =
      new Mapping{address, static_cast<size_t>(length), true, false, Instance(env).mappings};
  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(env, address, mapping->length,
                                                        FinalizeMapping, mapping, &buffer);
  if (status != napi_ok) {
    if (mapping->mapped) munmap(address, mapping->length);
    delete mapping;
    if (env.IsExceptionPending()) env.GetAndClearPendingException();
    if (status == napi_no_external_buffers_allowed) return env.Null();
    // The runtime refused an ArrayBuffer this large (or ran out of memory creating one).
    return Napi::Number::New(env, -EOVERFLOW);
  }
  mapping->adopted = true;
  (*mapping->registry)[address] = mapping;
  return Napi::Value(env, buffer);
}

// munmap(arrayBuffer) -> 0 | -errno. -EINVAL when the buffer is not a live mapping of this
// environment (never mapped here, or already unmapped).
Napi::Value Munmap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArrayBuffer()) {
    Napi::TypeError::New(env, "argument 0 must be an ArrayBuffer").ThrowAsJavaScriptException();
    return Napi::Value();
  }
  Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
  if (buffer.IsDetached()) return Napi::Number::New(env, -EINVAL);
  MappingRegistry& registry = *Instance(env).mappings;
  auto it = registry.find(buffer.Data());
  if (it == registry.end() || it->second->length != buffer.ByteLength()) {
    return Napi::Number::New(env, -EINVAL);
  }
  Mapping* mapping = it->second;
  buffer.Detach();
  if (env.IsExceptionPending()) return Napi::Value();
  Unmap(mapping);
  return Napi::Number::New(env, 0);
}

}  // namespace

void RegisterMmap(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"mmap", Mmap},
                   {"munmap", Munmap}});
}

}  // namespace shm_native
