import type { RegionLayout } from './region-layout.ts';
import { RingError } from './ring-error.ts';
import { RingType } from './ring-type.ts';
import { RingView, type RingViewOptions } from './ring-view.ts';

/**
 * The slave's ring set-up before ADD_RING (spec §2.4, §3.5): every ring header gets the cookie,
 * flags 0 and head = tail = 0; every descriptor points at its slot's copy-mode buffer with
 * length = B, flags 0 and metadata 0 (all zero when the layout places no buffers).
 * `regions[i]` must hold at least `layout.regionSizes[i]` bytes.
 *
 * Allocates one {@link RingView} per ring (with `options`), and returns them: S2M rings, then M2S rings.
 */
export function initializeRegion(
  layout: RegionLayout,
  regions: readonly Uint8Array[],
  options: RingViewOptions = {},
): { s2m: RingView[]; m2s: RingView[] } {
  layout.regionSizes.forEach((size, index) => {
    const have = regions[index]?.byteLength ?? 0;
    if (have < size) {
      throw new RingError('ERR_RING_REGION_TOO_SMALL', `region ${index} holds ${have} bytes, the layout needs ${size}`);
    }
  });
  const region0 = regions[0] as Uint8Array;
  const build = (type: RingType): RingView[] => {
    const views: RingView[] = [];
    for (let index = 0; index < layout.ringCount(type); index++) {
      const ring = new RingView(region0, layout.ringOffset(type, index), layout.log2RingSize, layout.cacheLine, options);
      ring.initializeHeader();
      const buffers = layout.bufferRegion >= 0 ? layout.slotBuffers(type, index) : undefined;
      for (let slot = 0; slot < ring.size; slot++) {
        if (buffers) ring.writeDesc(slot, 0, buffers.region, buffers.capacity, buffers.offsetOf(slot));
        else ring.writeDesc(slot, 0, 0, 0, 0);
      }
      views.push(ring);
    }
    return views;
  };
  return { s2m: build(RingType.S2M), m2s: build(RingType.M2S) };
}
