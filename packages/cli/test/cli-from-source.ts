// Runs the CLI from its TypeScript sources (under tsx), as bin/memif runs the build.
import { main } from '../src/main.ts';

process.exitCode = await main(process.argv.slice(2));
