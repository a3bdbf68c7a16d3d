// The demo until the full interface lands: a memif master and slave handshake, driven through the
// built @memif/protocol codec exactly as it goes over the wire, printing every message.
import {
  decodeMsg,
  encodeMsg,
  interfaceModeToString,
  MasterHandshake,
  msgTypeToString,
  SlaveHandshake,
} from '../packages/protocol/dist/index.js';

const hex = (bytes) => Buffer.from(bytes.subarray(0, 16)).toString('hex').replace(/(..)/g, '$1 ');

const master = new MasterHandshake({
  appName: 'memif-node demo master',
  lookup: (id) =>
    id === 1
      ? { status: 'available', config: { mode: 0, secret: 'demo', maxS2mRings: 2, maxM2sRings: 2, ifName: 'memif-m1' } }
      : { status: 'not-found' },
});
const slave = new SlaveHandshake({
  appName: 'memif-node demo slave', ifName: 'memif-s1', id: 1, mode: 0, secret: 'demo',
  numS2mRings: 2, numM2sRings: 2, log2RingSize: 10,
});

let nextFd = 10;
const queues = { master: master.start(), slave: [] };
const peer = { master: slave, slave: master };
for (let guard = 0; guard < 100 && queues.master.length + queues.slave.length > 0; guard++) {
  for (const side of ['master', 'slave']) {
    for (const action of queues[side].splice(0)) {
      const other = side === 'master' ? 'slave' : 'master';
      if (action.kind === 'send') {
        const bytes = encodeMsg(action.msg);
        const fd = action.attach ? nextFd++ : undefined;
        console.log(`${side.padEnd(6)} -> ${msgTypeToString(action.msg.type).padEnd(10)} ${hex(bytes)}…${fd ? ` + fd ${fd}` : ''}`);
        queues[other].push(...peer[side].receive(decodeMsg(bytes), fd));
      } else if (action.kind === 'negotiated') {
        const { numS2mRings, numM2sRings, log2RingSize } = action.params;
        const ringBytes = 128 + 16 * 2 ** log2RingSize;
        const rings = [
          ...Array.from({ length: numS2mRings }, (_, index) => ({ direction: 's2m', index })),
          ...Array.from({ length: numM2sRings }, (_, index) => ({ direction: 'm2s', index })),
        ].map((r, i) => ({ ...r, region: 0, offset: i * ringBytes, log2RingSize }));
        const size = rings.length * (ringBytes + 2 ** log2RingSize * 2048);
        console.log(`slave  :: negotiated ${numS2mRings} S2M + ${numM2sRings} M2S rings of ${2 ** log2RingSize}, region 0 is ${size} bytes`);
        queues.slave.push(...slave.prepared({ regions: [{ index: 0, size }], rings }));
      } else if (action.kind === 'attach') {
        console.log(`master :: interface id ${action.id} taken by "${action.peerName}" (${interfaceModeToString(action.mode)})`);
      } else if (action.kind === 'verify') {
        console.log(`master :: would map ${action.regions.length} region(s) and check ${action.rings.length} ring cookies here`);
        queues.master.push(...master.confirmConnected());
      } else if (action.kind === 'connected') {
        console.log(`${side.padEnd(6)} :: link up, peer interface "${action.peerIfName}"`);
      }
    }
  }
}
console.log(`\nmaster ${master.state}, slave ${slave.state}`);
process.exitCode = master.state === 'connected' && slave.state === 'connected' ? 0 : 1;
