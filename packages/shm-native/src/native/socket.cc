// Unix socket syscalls: socket, socketpair, bind, listen, accept4, connect, setsockopt,
// getsockopt, SO_PEERCRED, sendmsg/recvmsg with SCM_RIGHTS, shutdown.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

#include "addon.h"

namespace shm_native {
namespace {

// The kernel's per-message limit on passed descriptors (SCM_MAX_FD).
constexpr size_t kMaxFds = 253;

int IntArg(const Napi::CallbackInfo& info, size_t index) {
  return info[index].As<Napi::Number>().Int32Value();
}

// Builds a sockaddr_un from the address bytes. Abstract names get a leading NUL and a length
// that counts exactly the name bytes (no trailing NUL), as DPDK, VPP and libmemif do;
// filesystem paths are NUL-terminated and use sizeof(sockaddr_un).
bool BuildAddress(const Napi::CallbackInfo& info, sockaddr_un* address, socklen_t* length) {
  Napi::Uint8Array bytes = info[1].As<Napi::Uint8Array>();
  bool abstract = info[2].ToBoolean();
  size_t room = sizeof address->sun_path - 1;
  if (bytes.ByteLength() > room) return false;
  std::memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  char* name = abstract ? address->sun_path + 1 : address->sun_path;
  std::memcpy(name, bytes.Data(), bytes.ByteLength());
  *length = abstract ? offsetof(sockaddr_un, sun_path) + 1 + bytes.ByteLength()
                     : sizeof(sockaddr_un);
  return true;
}

// socket(domain, type, protocol) -> fd | -errno
Napi::Value Socket(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2)) return Napi::Value();
  return SyscallResult(info.Env(), socket(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2)));
}

// socketpair(domain, type, protocol, out: Int32Array(2)) -> 0 | -errno
Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2) ||
      !ExpectInt32Array(info, 3, 2)) {
    return Napi::Value();
  }
  int fds[2];
  int r = socketpair(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2), fds);
  if (r < 0) return SyscallResult(info.Env(), r);
  Napi::Int32Array out = info[3].As<Napi::Int32Array>();
  out[0] = fds[0];
  out[1] = fds[1];
  return Napi::Number::New(info.Env(), 0);
}

template <int (*Call)(int, const sockaddr*, socklen_t)>
Napi::Value AddressCall(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectUint8Array(info, 1)) return Napi::Value();
  sockaddr_un address;
  socklen_t length;
  if (!BuildAddress(info, &address, &length)) return Napi::Number::New(info.Env(), -ENAMETOOLONG);
  return SyscallResult(info.Env(),
                       Call(IntArg(info, 0), reinterpret_cast<sockaddr*>(&address), length));
}

// bind(fd, addressBytes, abstract) -> 0 | -errno
Napi::Value Bind(const Napi::CallbackInfo& info) { return AddressCall<bind>(info); }

// connect(fd, addressBytes, abstract) -> 0 | -errno (-EINPROGRESS / -EAGAIN when non-blocking)
Napi::Value Connect(const Napi::CallbackInfo& info) { return AddressCall<connect>(info); }

// listen(fd, backlog) -> 0 | -errno
Napi::Value Listen(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  return SyscallResult(info.Env(), listen(IntArg(info, 0), IntArg(info, 1)));
}

// accept4(fd, flags) -> fd | -errno
Napi::Value Accept4(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  return SyscallResult(info.Env(), accept4(IntArg(info, 0), nullptr, nullptr, IntArg(info, 1)));
}

// setsockoptInt(fd, level, name, value) -> 0 | -errno
Napi::Value SetsockoptInt(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2) || !ExpectInt32(info, 3)) {
    return Napi::Value();
  }
  int value = IntArg(info, 3);
  return SyscallResult(info.Env(), setsockopt(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2),
                                              &value, sizeof value));
}

// getsockoptInt(fd, level, name, out: Int32Array(1)) -> 0 | -errno
Napi::Value GetsockoptInt(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1) || !ExpectInt32(info, 2) ||
      !ExpectInt32Array(info, 3, 1)) {
    return Napi::Value();
  }
  int value = 0;
  socklen_t length = sizeof value;
  int r = getsockopt(IntArg(info, 0), IntArg(info, 1), IntArg(info, 2), &value, &length);
  if (r < 0) return SyscallResult(info.Env(), r);
  info[3].As<Napi::Int32Array>()[0] = value;
  return Napi::Number::New(info.Env(), 0);
}

// getsockoptPeercred(fd, out: Int32Array(3)) -> 0 | -errno; out = [pid, uid, gid]
// (uid and gid are u32 stored bit-for-bit).
Napi::Value GetsockoptPeercred(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32Array(info, 1, 3)) return Napi::Value();
  ucred credentials;
  socklen_t length = sizeof credentials;
  int r = getsockopt(IntArg(info, 0), SOL_SOCKET, SO_PEERCRED, &credentials, &length);
  if (r < 0) return SyscallResult(info.Env(), r);
  Napi::Int32Array out = info[1].As<Napi::Int32Array>();
  out[0] = credentials.pid;
  out[1] = static_cast<int32_t>(credentials.uid);
  out[2] = static_cast<int32_t>(credentials.gid);
  return Napi::Number::New(info.Env(), 0);
}

// shutdown(fd, how) -> 0 | -errno
Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  if (!ExpectInt32(info, 0) || !ExpectInt32(info, 1)) return Napi::Value();
  return SyscallResult(info.Env(), shutdown(IntArg(info, 0), IntArg(info, 1)));
}

// sendmsg(fd, data: Uint8Array, fds: Int32Array) -> bytes sent | -errno
// One datagram; the fds (possibly none) travel as one SCM_RIGHTS message. MSG_NOSIGNAL so a
// closed peer gives EPIPE instead of killing the process.
Napi::Value Sendmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ExpectInt32(info, 0) || !ExpectUint8Array(info, 1) || !ExpectInt32Array(info, 2, 0)) {
    return Napi::Value();
  }
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  Napi::Int32Array fds = info[2].As<Napi::Int32Array>();
  if (fds.ElementLength() > kMaxFds) return Napi::Number::New(env, -EINVAL);

  iovec iov{data.Data(), data.ByteLength()};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds)];
  if (fds.ElementLength() > 0) {
    size_t fd_bytes = sizeof(int) * fds.ElementLength();
    std::memset(control, 0, CMSG_SPACE(fd_bytes));
    message.msg_control = control;
    message.msg_controllen = CMSG_SPACE(fd_bytes);
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(fd_bytes);
    std::memcpy(CMSG_DATA(header), fds.Data(), fd_bytes);
  }
  return SyscallResult(env, sendmsg(IntArg(info, 0), &message, MSG_NOSIGNAL));
}

// recvmsg(fd, data: Uint8Array, fdsOut: Int32Array, meta: Int32Array(7)) -> bytes | -errno
// Receives one datagram (0 bytes = EOF) with MSG_CMSG_CLOEXEC. Descriptors fill fdsOut in
// order; any beyond fdsOut.length are closed here so none leak. meta =
// [fdCount, excessFdsClosed, msgFlags, hasCredentials, pid, uid, gid].
Napi::Value Recvmsg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!ExpectInt32(info, 0) || !ExpectUint8Array(info, 1) || !ExpectInt32Array(info, 2, 0) ||
      !ExpectInt32Array(info, 3, 7)) {
    return Napi::Value();
  }
  Napi::Uint8Array data = info[1].As<Napi::Uint8Array>();
  Napi::Int32Array fds_out = info[2].As<Napi::Int32Array>();
  Napi::Int32Array meta = info[3].As<Napi::Int32Array>();
  size_t accepted = fds_out.ElementLength() < kMaxFds ? fds_out.ElementLength() : kMaxFds;

  iovec iov{data.Data(), data.ByteLength()};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  // Room for the accepted descriptors plus one SCM_CREDENTIALS (sent when SO_PASSCRED is on).
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFds) + CMSG_SPACE(sizeof(ucred))];
  message.msg_control = control;
  message.msg_controllen = CMSG_SPACE(sizeof(int) * accepted) + CMSG_SPACE(sizeof(ucred));

  ssize_t n = recvmsg(IntArg(info, 0), &message, MSG_CMSG_CLOEXEC);
  if (n < 0) return SyscallResult(env, -1);

  int32_t fd_count = 0;
  int32_t excess = 0;
  int32_t has_credentials = 0;
  for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
       header = CMSG_NXTHDR(&message, header)) {
    if (header->cmsg_level != SOL_SOCKET) continue;
    if (header->cmsg_type == SCM_RIGHTS) {
      size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      const unsigned char* cursor = CMSG_DATA(header);
      for (size_t i = 0; i < count; i++) {
        int fd;
        std::memcpy(&fd, cursor + i * sizeof fd, sizeof fd);
        if (static_cast<size_t>(fd_count) < accepted) {
          fds_out[fd_count++] = fd;
        } else {
          close(fd);
          excess++;
        }
      }
    } else if (header->cmsg_type == SCM_CREDENTIALS &&
               header->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
      ucred credentials;
      std::memcpy(&credentials, CMSG_DATA(header), sizeof credentials);
      has_credentials = 1;
      meta[4] = credentials.pid;
      meta[5] = static_cast<int32_t>(credentials.uid);
      meta[6] = static_cast<int32_t>(credentials.gid);
    }
  }
  meta[0] = fd_count;
  meta[1] = excess;
  meta[2] = message.msg_flags;
  meta[3] = has_credentials;
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace

void RegisterSocket(Napi::Env env, Napi::Object exports) {
  ExportFunctions(env, exports,
                  {{"socket", Socket},
                   {"socketpair", Socketpair},
                   {"bind", Bind},
                   {"connect", Connect},
                   {"listen", Listen},
                   {"accept4", Accept4},
                   {"setsockoptInt", SetsockoptInt},
                   {"getsockoptInt", GetsockoptInt},
                   {"getsockoptPeercred", GetsockoptPeercred},
                   {"shutdown", Shutdown},
                   {"sendmsg", Sendmsg},
                   {"recvmsg", Recvmsg}});
}

}  // namespace shm_native
