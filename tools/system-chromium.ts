import { playwright } from '@vitest/browser-playwright';

/**
 * Vitest browser mode in the system's Chromium (Debian's `chromium`, installed by
 * scripts/ensure-tools.sh): no browser is downloaded. Playwright gives every launch a fresh
 * profile; the flags keep a headless run from reaching the network or updating itself.
 */
export function systemChromium() {
  return {
    enabled: true,
    headless: true,
    provider: playwright({
      launchOptions: {
        executablePath: process.env.MEMIF_CHROMIUM_PATH ?? '/usr/bin/chromium',
        chromiumSandbox: false,
        args: [
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    }),
    instances: [{ browser: 'chromium' as const }],
    screenshotFailures: false,
  };
}
