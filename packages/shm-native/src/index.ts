export { closeFd, dupFd } from './descriptor.ts';
export type { EdgeWatcherOptions } from './edge-watcher.ts';
export { EdgeWatcher } from './edge-watcher.ts';
export type { ErrnoErrorDetails } from './errno-error.ts';
export { ErrnoError } from './errno-error.ts';
export type { CreateEventFdOptions } from './event-fd.ts';
export { EventFd } from './event-fd.ts';
export type { SignalMethod } from './event-fd-signaller.ts';
export { EventFdSignaller } from './event-fd-signaller.ts';
export { ExternalBuffersNotAllowedError } from './external-buffers-not-allowed-error.ts';
export type { FdWatchCallback, FdWatchEvent, WatchMode } from './fd-watcher.ts';
export { FdWatcher } from './fd-watcher.ts';
export { InvalidArgumentError } from './invalid-argument-error.ts';
export type { LoadNativeOptions } from './load-native.ts';
export { loadNative, NATIVE_PATH_ENV } from './load-native.ts';
export type { MapOptions } from './mapping.ts';
export { Mapping } from './mapping.ts';
export type {
  NativeBinding,
  NativeConstants,
  NativePoll,
  NativePollConstructor,
} from './native.ts';
export type { NativeLoadTarget } from './native-load-error.ts';
export { NativeLoadError } from './native-load-error.ts';
export { OwnedFd } from './owned-fd.ts';
export type { UnlinkOptions } from './paths.ts';
export { chmodPath, chownPath, unlinkPath } from './paths.ts';
export { ResourceClosedError } from './resource-closed-error.ts';
export type { RetainFreedMemoryOptions } from './retain-freed-memory.ts';
export { retainFreedMemory } from './retain-freed-memory.ts';
export { Seal } from './seal.ts';
export type {
  ConnectOptions,
  ConnectState,
  Credentials,
  ListenOptions,
  ReceivedMessage,
  ReceiveOptions,
  ShutdownHow,
} from './seqpacket-socket.ts';
export { SeqpacketSocket } from './seqpacket-socket.ts';
export type { CreateMemfdOptions, FileStat, OpenFileOptions } from './shared-memory.ts';
export { SharedMemory } from './shared-memory.ts';
export { ShmNativeError } from './shm-native-error.ts';
export type { UnixAddress } from './unix-address.ts';
