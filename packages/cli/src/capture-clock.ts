/** Wall-clock time in microseconds since the epoch, with the monotonic clock's resolution. */
export function captureTimestampMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}
