{
  "variables": {
    # scripts/install.mjs decides whether to compile; a bare `node-gyp rebuild` of an installed
    # tarball compiles nothing when the prebuild for this arch is there, unless
    # SHM_NATIVE_FORCE_BUILD=1 (set by install.mjs and build:native).
    "skip_compile%": "<!(node -p \"!process.env.SHM_NATIVE_FORCE_BUILD && require('fs').existsSync('prebuilds/linux-' + process.arch + '/node.napi.glibc.node')\")",
    # Prebuilds (scripts/build-native.mjs sets SHM_NATIVE_PREBUILD=1) must load on glibc 2.17
    # (RHEL 7, Amazon Linux 2) and on machines without libstdc++: the C++ runtime is linked in
    # and hidden, unused sections dropped, and the few calls that would need newer glibc symbol
    # versions go to src/native/glibc-baseline.cc. libgcc_s stays dynamic: every glibc system
    # has it (Node needs it too), and its static unwinder would need glibc 2.35. A source build
    # on the user's machine links normally: some distributions ship no static libstdc++.
    "portable%": "<!(node -p \"process.env.SHM_NATIVE_PREBUILD === '1' ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "shm_native",
      "conditions": [
        ["skip_compile == 'true'", {
          "type": "none"
        }, {
          "sources": [
            "src/native/addon.cc",
            "src/native/eventfd.cc",
            "src/native/fd.cc",
            "src/native/epoll.cc",
            "src/native/fd-watcher.cc",
            "src/native/io-uring.cc",
            "src/native/malloc-tuning.cc",
            "src/native/memfd.cc",
            "src/native/mmap.cc",
            "src/native/socket.cc"
          ],
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "defines": [
            "NAPI_VERSION=8",
            "NAPI_DISABLE_CPP_EXCEPTIONS",
            "NODE_ADDON_API_DISABLE_DEPRECATED",
            "_GNU_SOURCE"
          ],
          "cflags": ["-fvisibility=hidden", "-Wall", "-Wextra"],
          "cflags_cc": ["-fvisibility=hidden", "-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
          "cflags!": ["-fno-exceptions"],
          "cflags_cc!": ["-fno-exceptions"],
          "conditions": [
            ["portable == 1", {
              "sources": ["src/native/glibc-baseline.cc"],
              "ldflags": [
                "-static-libstdc++",
                "-Wl,--exclude-libs,ALL",
                "-Wl,--gc-sections",
                "-s",
                "-Wl,--wrap=fstat64,--wrap=fstat,--wrap=fcntl64,--wrap=fcntl,--wrap=memfd_create,--wrap=__libc_single_threaded"
              ]
            }]
          ]
        }]
      ]
    }
  ]
}
