import { loadNative } from './load-native.ts';
import type { NativeBinding } from './native.ts';

/** The binding to use: the injected one (a fake, in other packages' tests) or the real addon. */
export function resolveBinding(binding: NativeBinding | undefined): NativeBinding {
  return binding ?? loadNative();
}
