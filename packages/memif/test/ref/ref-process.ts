// A process holding memif interfaces and nothing else once it prints "ready": whether it exits
// by itself says whether the interfaces keep the event loop alive.
// argv: scenario, abstract socket name, 'unref' | 'unref-ref'.
import { once } from 'node:events';
import { createInterface, type MemifInterface } from '../../src/index.ts';

const [scenario, socket, calls] = process.argv.slice(2) as [string, string, string];
// Keeps the process alive while the scenario sets up; cleared before "ready".
const setup = setInterval(() => {}, 1000);

function ready(interfaces: MemifInterface[]): void {
  if (calls === 'unref-ref') {
    // ref() on one interface is enough: it holds its handles (and the shared socket) again.
    const first = interfaces[0] as MemifInterface;
    if (first.ref() !== first || !first.hasRef()) throw new Error("ref() must return the interface, now ref'd");
  }
  clearInterval(setup);
  process.stdout.write('ready\n');
}

function unref(iface: MemifInterface): void {
  if (iface.unref() !== iface || iface.hasRef()) throw new Error("unref() must return the interface, now unref'd");
}

async function fillRing(sender: MemifInterface): Promise<void> {
  // Nobody receives on the other side: once the ring is full, a send() waits on the scheduler's
  // timers, which must not keep an unref'd process alive either. A slave peer may still be
  // posting its receive buffers just after connecting, so fill again until a send() waits.
  const frame = new Uint8Array(60);
  for (let round = 0; round < 100; round++) {
    while (sender.trySend(frame)) {
      // fill what is free now
    }
    let settled = false;
    sender.send(frame).then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!settled) return;
  }
  throw new Error('send() never waited: the ring never filled');
}

async function main(): Promise<void> {
  switch (scenario) {
    case 'slave': {
      // Nobody listens: the slave retries forever on its timer.
      const slave = createInterface({ role: 'slave', socket, reconnectInterval: 50 });
      slave.on('error', () => {});
      unref(slave);
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready([slave]);
      return;
    }
    case 'master': {
      const master = createInterface({ role: 'master', socket });
      unref(master);
      ready([master]);
      return;
    }
    case 'master-pending': {
      // A connection accepted but not yet claimed by an interface (no INIT yet) follows the
      // listening socket: the test connects, hears HELLO, and then ends our stdin. The handshake
      // timeout outlasts the test, so only the unref'd connection can let us exit.
      const master = createInterface({ role: 'master', socket, handshakeTimeout: 60_000 });
      unref(master);
      process.stdout.write('listening\n');
      process.stdin.on('end', () => {
        process.stdin.destroy();
        ready([master]);
      });
      process.stdin.resume();
      return;
    }
    case 'shared-listener-one':
    case 'shared-listener-both': {
      // Two masters on one socket. With one unref'd, the socket must stay ref'd for the other;
      // with both unref'd, it lets go.
      const first = createInterface({ role: 'master', socket, id: 1 });
      const second = createInterface({ role: 'master', socket, id: 2 });
      unref(second);
      if (scenario === 'shared-listener-both') unref(first);
      ready([first, second]);
      return;
    }
    case 'connected-slave':
    case 'connected-master': {
      // The test process is the peer (one process may not be both ends of a socket). Unref'd
      // before connecting, so every handle of the connection is created afterwards; the peer
      // then disconnects once, and the reconnect creates a second set. A slave polls, so its
      // poll loop runs too; a master keeps interrupts, so its interrupt watcher does.
      const role = scenario === 'connected-slave' ? 'slave' : 'master';
      const iface = createInterface({ role, socket, rxMode: role === 'slave' ? 'polling' : 'interrupt', reconnectInterval: 50 });
      iface.on('error', () => {});
      unref(iface);
      await once(iface, 'connected');
      await once(iface, 'connected');
      await fillRing(iface);
      ready([iface]);
      return;
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

await main();
