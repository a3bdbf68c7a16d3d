/** Round-trip bookkeeping and the summary block, worded and rounded as iputils `ping` prints them. */
export class PingStatistics {
  transmitted = 0;
  received = 0;
  duplicates = 0;
  /** Replies with a bad checksum: shown, but neither received nor timed. */
  corrupted = 0;
  #sum = 0;
  #sumOfSquares = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  addReply(rttMs: number): void {
    this.received++;
    this.#sum += rttMs;
    this.#sumOfSquares += rttMs * rttMs;
    this.#min = Math.min(this.#min, rttMs);
    this.#max = Math.max(this.#max, rttMs);
  }

  get lossPercent(): number {
    return this.transmitted === 0 ? 0 : ((this.transmitted - this.received) * 100) / this.transmitted;
  }

  /** min, avg, max and mdev (the standard deviation) in ms; undefined without replies. */
  get rtt(): { min: number; avg: number; max: number; mdev: number } | undefined {
    if (this.received === 0) return undefined;
    const avg = this.#sum / this.received;
    const variance = Math.max(0, this.#sumOfSquares / this.received - avg * avg);
    return { min: this.#min, avg, max: this.#max, mdev: Math.sqrt(variance) };
  }

  /** The block after `--- <target> ping statistics ---`. */
  summary(target: string, elapsedMs: number): string {
    const loss = Number(this.lossPercent.toFixed(4));
    const dups = this.duplicates > 0 ? ` +${this.duplicates} duplicates,` : '';
    const corrupted = this.corrupted > 0 ? ` +${this.corrupted} corrupted,` : '';
    const lines = [
      `--- ${target} ping statistics ---`,
      `${this.transmitted} packets transmitted, ${this.received} received,${dups}${corrupted} ${loss}% packet loss, time ${Math.round(elapsedMs)}ms`,
    ];
    const rtt = this.rtt;
    if (rtt !== undefined) {
      const f = (n: number): string => n.toFixed(3);
      lines.push(`rtt min/avg/max/mdev = ${f(rtt.min)}/${f(rtt.avg)}/${f(rtt.max)}/${f(rtt.mdev)} ms`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A round-trip time as ping shows it: fewer decimals as the value grows. */
export function formatRtt(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}
