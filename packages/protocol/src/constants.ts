/** Every memif control message is exactly this many bytes (`sizeof(memif_msg_t)`). */
export const MSG_SIZE = 128;

/** Protocol version 2.0: major in the high byte, minor in the low byte (`MEMIF_VERSION`). */
export const MEMIF_VERSION_MAJOR = 2;
export const MEMIF_VERSION_MINOR = 0;
export const MEMIF_VERSION = (MEMIF_VERSION_MAJOR << 8) | MEMIF_VERSION_MINOR;

/** Field sizes of the fixed, NUL-terminated string fields; one byte less is usable. */
export const NAME_SIZE = 32;
export const SECRET_SIZE = 24;
export const DISCONNECT_REASON_SIZE = 96;

export const MAX_NAME_LENGTH = NAME_SIZE - 1;
export const MAX_SECRET_LENGTH = SECRET_SIZE - 1;
export const MAX_DISCONNECT_REASON_LENGTH = DISCONNECT_REASON_SIZE - 1;

/** What a master advertises in HELLO, as DPDK does: highest region and ring *indices*. */
export const DEFAULT_MAX_REGION = 255;
export const DEFAULT_MAX_RING = 255;
export const DEFAULT_MAX_LOG2_RING_SIZE = 14;

/** The most regions a master stores from one slave (indices 0..255). */
export const MAX_REGIONS = 256;

/**
 * The largest log2 ring size a master accepts in ADD_RING. VPP slaves may report 15 (spec §7.13);
 * 16 would break the 16-bit index arithmetic.
 */
export const MAX_LOG2_RING_SIZE_ACCEPTED = 15;

export const UINT8_MAX = 0xff;
export const UINT16_MAX = 0xffff;
export const UINT32_MAX = 0xffff_ffff;
