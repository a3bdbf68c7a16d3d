import { ETHERNET_HEADER_SIZE } from '@memif/frame';
import { answerIcmpEcho } from './answer-icmp-echo.ts';
import type { ForwardMode } from './forward-mode.ts';
import { swapBytes } from './swap-bytes.ts';

const ETHER_DST = 0;
const ETHER_SRC = 6;

/** The addresses a forwarding engine writes: the tx port's MAC and the peer configured for it. */
export interface ForwardAddresses {
  txPortMac: Uint8Array;
  peerMac: Uint8Array;
}

/**
 * Applies forwarding engine `mode` to received `frames[0..count)`, rewriting them in place as
 * dpdk-testpmd's engine of that name does, and returns how many to transmit; those are moved to
 * the front of `frames`, the rest are dropped. io passes frames unchanged; mac sets src to the tx
 * port and dst to the peer; macswap swaps src and dst; icmpecho keeps only the ARP and ICMP echo
 * replies it made; rxonly, lite-rxcopy and txonly forward nothing received. Allocates nothing.
 */
export function forwardFrames(mode: ForwardMode, frames: Uint8Array[], count: number, addresses: ForwardAddresses): number {
  switch (mode) {
    case 'io':
      return count;
    case 'mac':
      for (let i = 0; i < count; i++) {
        const frame = frames[i] as Uint8Array;
        if (frame.byteLength < ETHERNET_HEADER_SIZE) continue;
        frame.set(addresses.peerMac, ETHER_DST);
        frame.set(addresses.txPortMac, ETHER_SRC);
      }
      return count;
    case 'macswap':
      for (let i = 0; i < count; i++) {
        const frame = frames[i] as Uint8Array;
        if (frame.byteLength >= ETHERNET_HEADER_SIZE) swapBytes(frame, ETHER_DST, ETHER_SRC, 6);
      }
      return count;
    case 'icmpecho': {
      let replies = 0;
      for (let i = 0; i < count; i++) {
        const frame = frames[i] as Uint8Array;
        if (answerIcmpEcho(frame, addresses.txPortMac)) frames[replies++] = frame;
      }
      return replies;
    }
    case 'rxonly':
    case 'lite-rxcopy':
    case 'txonly':
      return 0;
  }
}
