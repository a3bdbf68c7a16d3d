export type { BufferPoolOptions } from './buffer-pool.ts';
export { BufferPool } from './buffer-pool.ts';
export { DescFlag, descFlagsToString } from './desc-flag.ts';
export { initializeRegion } from './initialize-region.ts';
export type { MasterReceiverOptions } from './master-receiver.ts';
export { MasterReceiver } from './master-receiver.ts';
export type { MasterTransmitterOptions } from './master-transmitter.ts';
export { MasterTransmitter } from './master-transmitter.ts';
export { ReceiveBatch } from './receive-batch.ts';
export type { BufferPlacement, RegionLayoutOptions } from './region-layout.ts';
export { RegionLayout } from './region-layout.ts';
export type { RingConsumerOptions } from './ring-consumer.ts';
export { RingConsumer } from './ring-consumer.ts';
export type { DropReason, RingCounters } from './ring-counters.ts';
export { createRingCounters } from './ring-counters.ts';
export type { RingEndpointOptions } from './ring-endpoint.ts';
export { RingEndpoint } from './ring-endpoint.ts';
export type { RingErrorCode } from './ring-error.ts';
export { RingError } from './ring-error.ts';
export { RingFlag, ringFlagsToString } from './ring-flag.ts';
export {
  DEFAULT_CACHE_LINE,
  MAX_LOG2_RING_SIZE,
  MEMIF_COOKIE,
  MEMIF_DESC_SIZE,
  MIN_LOG2_RING_SIZE,
  RingHeaderOffset,
  ringBytes,
} from './ring-header.ts';
export type { RingProducerOptions } from './ring-producer.ts';
export { RingProducer } from './ring-producer.ts';
export { RingType, ringTypeToString } from './ring-type.ts';
export type { IndexStores, RingViewOptions } from './ring-view.ts';
export { DESC_U16_STRIDE, DESC_U32_STRIDE, RingView } from './ring-view.ts';
export type { SlaveReceiverOptions } from './slave-receiver.ts';
export { SlaveReceiver } from './slave-receiver.ts';
export type { SlaveTransmitterOptions } from './slave-transmitter.ts';
export { SlaveTransmitter } from './slave-transmitter.ts';
export type { SlotBufferMap } from './slot-buffer-map.ts';
export type { RingCheck, RingClaim } from './verify-ring.ts';
export { verifyRing } from './verify-ring.ts';
