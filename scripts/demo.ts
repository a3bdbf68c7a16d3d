// The demo: two processes exchange packets over memif. A testpmd-lite server counts what it
// receives (rxonly); a testpmd-lite client sends generated UDP packets (txonly). A live line
// shows both sides' rates; the summary compares what was sent with what arrived.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PortStats, Testpmd } from '../tools/test-kit/src/index.ts';

const seconds = Number(process.env.DEMO_SECONDS ?? 10);
const frameSize = Number(process.env.DEMO_FRAME_SIZE ?? 64);
const socket = join(tmpdir(), `memif-demo-${process.pid}.sock`);
const lite = ['node', fileURLToPath(new URL('../apps/testpmd-lite/bin/testpmd-lite', import.meta.url))];
const vdev = (role: string): string => `net_memif0,role=${role},id=0,socket=${socket},socket-abstract=no`;

const rate = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} Mpps` : `${(n / 1e3).toFixed(1)} kpps`);

async function main(): Promise<number> {
  console.log(`memif demo: two testpmd-lite processes, ${frameSize}-byte frames, ${seconds} s`);
  console.log(`  server: rxonly on ${socket}\n  client: txonly\n`);
  const server = await Testpmd.start({ command: lite, vdevs: [vdev('server')], appArgs: ['--forward-mode=rxonly'] });
  let client: Testpmd | undefined;
  try {
    client = await Testpmd.start({
      command: lite,
      vdevs: [vdev('client')],
      appArgs: ['--forward-mode=txonly', `--txpkts=${frameSize}`],
    });
    await server.startForwarding();
    await client.startForwarding();
    let last: PortStats = await server.portStats(0);
    let lastTime = performance.now();
    const started = lastTime;
    while (performance.now() - started < seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = await server.portStats(0);
      const sent = await client.portStats(0);
      const t = performance.now();
      const pps = ((now.rxPackets - last.rxPackets) * 1000) / (t - lastTime);
      const gbps = (pps * frameSize * 8) / 1e9;
      // A live line on a terminal; one line per second when the output is a file or a pipe.
      process.stdout.write(
        `${process.stdout.isTTY ? '\r' : ''}  ${((t - started) / 1000).toFixed(0).padStart(3)} s  received ${String(now.rxPackets).padStart(10)}  ` +
          `${rate(pps).padStart(11)}  ${gbps.toFixed(2)} Gbit/s  client sent ${sent.txPackets}   ${process.stdout.isTTY ? '' : '\n'}`,
      );
      last = now;
      lastTime = t;
    }
    await client.command('stop', /Done\./);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const received = await server.portStats(0);
    const sent = await client.portStats(0);
    const elapsed = (performance.now() - started) / 1000;
    console.log('\n\nSummary');
    console.log(`  client sent      ${sent.txPackets} frames (${sent.txBytes} bytes)`);
    console.log(`  server received  ${received.rxPackets} frames (${received.rxBytes} bytes)`);
    console.log(`  average          ${rate(received.rxPackets / elapsed)} over ${elapsed.toFixed(1)} s`);
    const lost = sent.txPackets - received.rxPackets;
    console.log(lost === 0 ? '  every frame the client sent arrived' : `  ${lost} frames sent but not received`);
    return lost === 0 && received.rxPackets > 0 ? 0 : 1;
  } finally {
    await client?.stop();
    await server.stop();
    rmSync(socket, { force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`demo failed: ${error.message}`);
    process.exitCode = 1;
  },
);
