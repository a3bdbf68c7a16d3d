// Poll: a libuv uv_poll_t watching one descriptor, calling back into JS.
//
// The handle runs on the environment's own loop (napi_get_uv_event_loop, so worker threads
// work), calls JS through MakeCallback with an async context (so microtasks drain and async
// hooks see a proper resource), and is always released with uv_close, freeing the uv_poll_t
// in the close callback. Closing from inside the callback is safe because the handle memory
// outlives the callback.
//
// Each handle holds an async environment cleanup hook until its close callback has run: at
// teardown the hook closes handles JS never closed, and Node waits for the close callback
// before unloading this library (a plain cleanup hook would let a worker's loop call a close
// callback in an already unloaded addon).
#include <uv.h>

#include "addon.h"

namespace shm_native {
namespace {

class Poll;

// The libuv handle and its teardown bookkeeping; outlives the Poll object if need be.
struct PollHandle {
  uv_poll_t poll;
  Poll* owner;
  napi_async_cleanup_hook_handle cleanup_hook;
  bool closing;
};

void OnHandleClosed(uv_handle_t* handle) {
  PollHandle* self = reinterpret_cast<PollHandle*>(handle);
  // Unregisters the hook, or, if teardown is running it, tells Node this handle is done.
  napi_remove_async_cleanup_hook(self->cleanup_hook);
  delete self;
}

void CloseHandle(PollHandle* self) {
  if (self->closing) return;
  self->closing = true;
  self->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&self->poll), OnHandleClosed);
}

class Poll : public Napi::ObjectWrap<Poll> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Poll",
                       {InstanceMethod<&Poll::Init>("init"), InstanceMethod<&Poll::Start>("start"),
                        InstanceMethod<&Poll::Stop>("stop"), InstanceMethod<&Poll::Close>("close"),
                        InstanceMethod<&Poll::LoopRef>("ref"), InstanceMethod<&Poll::LoopUnref>("unref")});
  }

  // new Poll(callback: (status: number, events: number) => void)
  explicit Poll(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<Poll>(info), context_(info.Env(), "MemifFdWatcher") {
    if (!info[0].IsFunction()) {
      Napi::TypeError::New(info.Env(), "argument 0 must be a function").ThrowAsJavaScriptException();
      return;
    }
    callback_ = Napi::Persistent(info[0].As<Napi::Function>());
  }

  ~Poll() override { Release(); }

 private:
  // init(fd) -> 0 | -errno
  Napi::Value Init(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!ExpectInt32(info, 0)) return Napi::Value();
    if (handle_ != nullptr || closed_) return Napi::Number::New(env, -EINVAL);
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok) return Napi::Number::New(env, -EINVAL);
    PollHandle* handle = new PollHandle{{}, this, nullptr, false};
    int r = uv_poll_init(loop, &handle->poll, info[0].As<Napi::Number>().Int32Value());
    if (r < 0) {
      delete handle;  // Never initialised, so libuv does not know it: no uv_close needed.
      return Napi::Number::New(env, r);
    }
    if (napi_add_async_cleanup_hook(env, OnEnvCleanup, handle, &handle->cleanup_hook) != napi_ok) {
      handle->owner = nullptr;
      handle->closing = true;
      uv_close(reinterpret_cast<uv_handle_t*>(&handle->poll),
               [](uv_handle_t* h) { delete reinterpret_cast<PollHandle*>(h); });
      return Napi::Number::New(env, -ENOMEM);
    }
    handle_ = handle;
    return Napi::Number::New(env, 0);
  }

  // start(events: UV_READABLE | UV_WRITABLE | UV_DISCONNECT) -> 0 | -errno
  Napi::Value Start(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!ExpectInt32(info, 0)) return Napi::Value();
    if (handle_ == nullptr) return Napi::Number::New(env, -EBADF);
    int r = uv_poll_start(&handle_->poll, info[0].As<Napi::Number>().Int32Value(), OnPoll);
    if (r < 0) return Napi::Number::New(env, r);
    // An active watcher keeps its JS object alive so it cannot be collected mid-watch.
    if (!active_) Ref();
    active_ = true;
    return Napi::Number::New(env, 0);
  }

  // stop() -> 0
  Napi::Value Stop(const Napi::CallbackInfo& info) {
    if (handle_ != nullptr) uv_poll_stop(&handle_->poll);
    MarkInactive();
    return Napi::Number::New(info.Env(), 0);
  }

  // ref() -> 0 | -EBADF: uv_ref, the handle keeps the loop alive while active (the default).
  // Named LoopRef because ObjectWrap::Ref is the JS object's reference count.
  Napi::Value LoopRef(const Napi::CallbackInfo& info) {
    if (handle_ == nullptr) return Napi::Number::New(info.Env(), -EBADF);
    uv_ref(reinterpret_cast<uv_handle_t*>(&handle_->poll));
    return Napi::Number::New(info.Env(), 0);
  }

  // unref() -> 0 | -EBADF: uv_unref, the handle no longer keeps the loop alive.
  Napi::Value LoopUnref(const Napi::CallbackInfo& info) {
    if (handle_ == nullptr) return Napi::Number::New(info.Env(), -EBADF);
    uv_unref(reinterpret_cast<uv_handle_t*>(&handle_->poll));
    return Napi::Number::New(info.Env(), 0);
  }

  // close() -> 0; idempotent.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    Release();
    MarkInactive();
    if (!callback_.IsEmpty()) callback_.Reset();
    return Napi::Number::New(info.Env(), 0);
  }

  void MarkInactive() {
    if (active_) Unref();
    active_ = false;
  }

  void Release() {
    if (handle_ == nullptr) return;
    CloseHandle(handle_);
    handle_ = nullptr;
    closed_ = true;
  }

  static void OnEnvCleanup(napi_async_cleanup_hook_handle /*hook*/, void* arg) {
    PollHandle* handle = static_cast<PollHandle*>(arg);
    if (handle->owner != nullptr) {
      handle->owner->handle_ = nullptr;
      handle->owner->closed_ = true;
    }
    CloseHandle(handle);
  }

  static void OnPoll(uv_poll_t* poll, int status, int events) {
    Poll* self = reinterpret_cast<PollHandle*>(poll)->owner;
    if (self == nullptr || self->callback_.IsEmpty()) return;
    Napi::Env env = self->Env();
    Napi::HandleScope scope(env);
    Napi::Object receiver = self->Value();
    // On POLLERR libuv has already stopped the handle.
    if (status < 0) self->MarkInactive();
    napi_value argv[] = {Napi::Number::New(env, status), Napi::Number::New(env, events)};
    napi_value result;
    // Raw Node-API rather than FunctionReference::MakeCallback: while a worker is being
    // terminated the call fails with no JS exception object, and node-addon-api's error
    // wrapping would abort the process.
    if (napi_make_callback(env, self->context_, receiver, self->callback_.Value(), 2, argv,
                           &result) == napi_pending_exception) {
      napi_value error;
      if (napi_get_and_clear_last_exception(env, &error) == napi_ok) {
        // Reported like any uncaught exception; a no-op when JS can no longer run.
        napi_fatal_exception(env, error);
      }
    }
  }

  Napi::FunctionReference callback_;
  Napi::AsyncContext context_;
  PollHandle* handle_ = nullptr;
  bool active_ = false;
  bool closed_ = false;
};

}  // namespace

void RegisterFdWatcher(Napi::Env env, Napi::Object exports) {
  exports.Set("Poll", Poll::Define(env));
}

}  // namespace shm_native
