/**
 * The receive reference that does the same work as `frames()` short of allocating: it reads every
 * byte of every frame (copies it out). The plain `rxBurst` loop reads descriptors only, so it is
 * the burst API's best case rather than equal work.
 */
export const RX_COPY_REFERENCE = 'rxBurst loop, copying every frame out';
