// Linked into prebuilds only (binding.gyp `portable`), with the linker's --wrap sending every
// reference that would need a glibc symbol version newer than 2.17 here. Each replacement is
// the raw syscall the older glibc made itself, with the same -1/errno convention.
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BASELINE_EXPORT extern "C" __attribute__((visibility("hidden")))

// glibc 2.33 exported fstat/fstat64; before, <sys/stat.h> inlined __fxstat64. The kernel's
// fstat fills glibc's struct stat on x86_64 and aarch64 alike.
BASELINE_EXPORT int __wrap_fstat64(int fd, struct stat64* buf) {
  return static_cast<int>(syscall(SYS_fstat, fd, buf));
}
BASELINE_EXPORT int __wrap_fstat(int fd, struct stat* buf) {
  return static_cast<int>(syscall(SYS_fstat, fd, buf));
}

// glibc 2.28 added fcntl64 (32-bit lock structs; on 64-bit it is plain fcntl). The argument is
// an int or a pointer; passed as a long it reaches the kernel unchanged on LP64.
static int FcntlSyscall(int fd, int cmd, va_list args) {
  long arg = va_arg(args, long);
  return static_cast<int>(syscall(SYS_fcntl, fd, cmd, arg));
}
BASELINE_EXPORT int __wrap_fcntl64(int fd, int cmd, ...) {
  va_list args;
  va_start(args, cmd);
  int result = FcntlSyscall(fd, cmd, args);
  va_end(args);
  return result;
}
BASELINE_EXPORT int __wrap_fcntl(int fd, int cmd, ...) {
  va_list args;
  va_start(args, cmd);
  int result = FcntlSyscall(fd, cmd, args);
  va_end(args);
  return result;
}

// glibc 2.27 added the memfd_create wrapper; the syscall is older (Linux 3.17).
BASELINE_EXPORT int __wrap_memfd_create(const char* name, unsigned int flags) {
  return static_cast<int>(syscall(SYS_memfd_create, name, flags));
}

// libstdc++'s headers (GCC 11+) read glibc 2.32's __libc_single_threaded to skip atomic
// reference counts in single-threaded processes. Node always runs threads: "not single
// threaded" is the true answer and keeps every count atomic.
extern "C" {
__attribute__((visibility("hidden"))) char __wrap___libc_single_threaded = 0;
}
