import { EventEmitter } from 'node:events';
import type { ReceiveBatch } from '@memif/ring';
import { describe, expect, it } from 'vitest';
import { BurstIterator, type BurstSource } from './burst-iterator.ts';

/** A source with no frames that records which queues have a reader draining them. */
class ReaderCountingSource extends EventEmitter implements BurstSource {
  state = 'connected';
  readonly readers = new Map<number, number>();
  rxBurst(_queue: number, _batch: ReceiveBatch): number {
    return 0;
  }
  rxRelease(): void {}
  readerStarted(queue: number): void {
    this.readers.set(queue, (this.readers.get(queue) ?? 0) + 1);
  }
  readerEnded(queue: number): void {
    this.readers.set(queue, (this.readers.get(queue) ?? 0) - 1);
  }
}

describe('BurstIterator tells its source while it drains a queue (sends then mind the rx ring)', () => {
  it('from the first step until return()', async () => {
    const source = new ReaderCountingSource();
    const bursts = new BurstIterator(source, 2);
    expect(source.readers.get(2)).toBeUndefined();
    const step = bursts.next();
    expect(source.readers.get(2)).toBe(1);
    await bursts.return();
    source.emit('close');
    await step;
    expect(source.readers.get(2)).toBe(0);
    await bursts.return();
    expect(source.readers.get(2)).toBe(0);
  });

  it('until an abort, once', async () => {
    const source = new ReaderCountingSource();
    const abort = new AbortController();
    const bursts = new BurstIterator(source, 0, { signal: abort.signal });
    const step = bursts.next();
    abort.abort();
    await expect(step).rejects.toMatchObject({ name: 'AbortError' });
    await bursts.return();
    expect(source.readers.get(0)).toBe(0);
  });

  it('until the interface closes', async () => {
    const source = new ReaderCountingSource();
    const bursts = new BurstIterator(source, 1);
    const step = bursts.next();
    source.state = 'closed';
    source.emit('close');
    await expect(step).resolves.toMatchObject({ done: true });
    expect(source.readers.get(1)).toBe(0);
  });
});
