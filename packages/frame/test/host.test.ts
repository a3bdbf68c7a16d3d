import { describeHostGlobals } from '../../../tools/host-globals-test.ts';

describeHostGlobals();
