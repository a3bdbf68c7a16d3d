// epoll_create1, epoll_ctl and a zero-timeout epoll_wait: readiness of fds we must never read.
//
// A peer shares the open file description of every interrupt eventfd, so it can clear
// O_NONBLOCK and empty the counter before we read it: a read(2) of ours would then block the
// whole loop. An edge-triggered registration in an epoll set of our own reports each signal
// without our ever touching the peer's fd, and epoll_wait here never waits.
#include <sys/epoll.h>

#include "addon.h"

namespace shm_native {
namespace {

// epollCreate1(flags) -> epoll fd | -errno
Napi::Value EpollCreate1(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0)) return Napi::Value();
  return SyscallResult(info.Env(), epoll_create1(info[0].As<Napi::Number>().Int32Value()));
}

// epollCtl(epfd, op, fd, events) -> 0 | -errno; the event's data is the fd itself.
Napi::Value EpollCtl(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2) ||
      !ExpectInt32(info, 3)) {
    return Napi::Value();
  }
  int fd = info[2].As<Napi::Number>().Int32Value();
  struct epoll_event event = {};
  event.events = info[3].As<Napi::Number>().Uint32Value();
  event.data.fd = fd;
  return SyscallResult(info.Env(), epoll_ctl(info[0].As<Napi::Number>().Int32Value(),
                                             info[1].As<Napi::Number>().Int32Value(), fd, &event));
}

// epollWait(epfd, out: Int32Array) -> count | -errno, with a timeout of 0: it never waits.
// out[2i] = fd, out[2i + 1] = events, for at most out.length / 2 events.
Napi::Value EpollWait(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32Array(info, 1, 2)) return Napi::Value();
  Napi::Int32Array out = info[1].As<Napi::Int32Array>();
  constexpr size_t kMaxEvents = 64;
  struct epoll_event events[kMaxEvents];
  size_t capacity = out.ElementLength() / 2;
  int max = static_cast<int>(capacity < kMaxEvents ? capacity : kMaxEvents);
  int n = epoll_wait(info[0].As<Napi::Number>().Int32Value(), events, max, 0);
  if (n < 0) return SyscallResult(info.Env(), -1);
  for (int i = 0; i < n; i++) {
    out[2 * i] = events[i].data.fd;
    out[2 * i + 1] = static_cast<int32_t>(events[i].events);
  }
  return Napi::Number::New(info.Env(), n);
}

}  // namespace

void RegisterEpoll(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"epollCreate1", EpollCreate1},
                   {"epollCtl", EpollCtl},
                   {"epollWait", EpollWait}});
}

}  // namespace shm_native
