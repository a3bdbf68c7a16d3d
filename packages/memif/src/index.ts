/**
 * The memif interface (both roles, DPDK-compatible) is built out by its own issue; until then this
 * package exports nothing.
 */
export {};
