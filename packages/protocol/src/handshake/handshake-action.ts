import type { RingDirection } from '../add-ring-flags.ts';
import type { InterfaceMode } from '../interface-mode.ts';
import type { Msg } from '../msg.ts';

/** Which of the slave's own resources a message must carry as its fd. */
export type FdRef =
  | { readonly kind: 'region'; readonly index: number }
  | { readonly kind: 'ring'; readonly direction: RingDirection; readonly index: number };

/** A region as announced by ADD_REGION. */
export interface RegionInfo {
  readonly index: number;
  readonly size: number;
}

/** A ring as announced by ADD_RING. */
export interface RingInfo {
  readonly direction: RingDirection;
  readonly index: number;
  readonly region: number;
  readonly offset: number;
  readonly log2RingSize: number;
}

/** What the slave derived from HELLO and its configuration (spec §1.6). */
export interface NegotiatedParams {
  readonly numS2mRings: number;
  readonly numM2sRings: number;
  readonly log2RingSize: number;
  /** The master's application name from HELLO. */
  readonly peerName: string;
}

/**
 * What the driver of a handshake must do next. The machine does no I/O: it tells the driver what to
 * send, which fds it now owns, and when to map memory, and it waits for the driver's answer where
 * an action says so.
 */
export type HandshakeAction =
  /** Send `msg`; attach the fd of `attach` (slave) when present. */
  | { readonly kind: 'send'; readonly msg: Msg; readonly attach?: FdRef }
  /** Master: INIT was accepted for interface `id`; that interface is now taken by this peer. */
  | {
      readonly kind: 'attach';
      readonly id: number;
      readonly mode: InterfaceMode;
      readonly peerName: string;
    }
  /** Master: the driver now owns `fd`, the memory of region `index`. */
  | { readonly kind: 'region'; readonly region: RegionInfo; readonly fd: number }
  /** Master: the driver now owns `fd`, the interrupt eventfd of this ring. */
  | { readonly kind: 'ring'; readonly ring: RingInfo; readonly fd: number }
  /** Close `fd`: it came with a message that carries none, or with one that was refused. */
  | { readonly kind: 'closeFd'; readonly fd: number }
  /** Slave: build regions, rings and eventfds for these parameters, then call `prepared()`. */
  | { readonly kind: 'negotiated'; readonly params: NegotiatedParams }
  /**
   * Master: map the regions and check the rings (size, bounds, cookies), then call
   * `confirmConnected()` or `disconnect(reason)`.
   */
  | {
      readonly kind: 'verify';
      readonly peerIfName: string;
      readonly regions: readonly RegionInfo[];
      readonly rings: readonly RingInfo[];
    }
  /** The link is up. */
  | { readonly kind: 'connected'; readonly peerIfName: string }
  /** The connection is over: tear it down. `by` says who ended it. */
  | { readonly kind: 'closed'; readonly reason: string; readonly by: 'local' | 'remote' };
