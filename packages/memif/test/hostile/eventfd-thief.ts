// A hostile peer's helper process: it holds our interrupt eventfd as fd 3 (the same open file
// description as ours), clears O_NONBLOCK on it, and for `argv[2]` ms signals and at once takes
// the count back, so that a read of ours, woken by the signal, would find the counter empty and
// block. It signals once more on exit, so that such a read would end with the test.
import { loadNative } from '@memif/shm-native';

const FD = 3;
const native = loadNative();
native.fcntlSetFl(FD, 0);
const until = Date.now() + Number(process.argv[2] ?? 1000);
let rounds = 0;
while (Date.now() < until) {
  native.eventfdWrite(FD, 1);
  native.eventfdRead(FD);
  rounds++;
}
native.eventfdWrite(FD, 1);
process.stdout.write(`${rounds}\n`);
