import { run } from './run.ts';

// Exit explicitly: interface watchers or a paused stdin must not keep a finished run alive.
process.exit(await run());
