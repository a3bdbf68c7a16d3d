{
  "variables": {
    # An installed tarball ships prebuilds/linux-<arch>/node.napi.node; npm's implicit
    # `node-gyp rebuild` then compiles nothing. SHM_NATIVE_FORCE_BUILD=1 compiles anyway.
    "skip_compile%": "<!(node -p \"!process.env.SHM_NATIVE_FORCE_BUILD && require('fs').existsSync('prebuilds/linux-' + process.arch + '/node.napi.node')\")"
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
          "cflags_cc!": ["-fno-exceptions"]
        }]
      ]
    }
  ]
}
