// Loaded with `node --require` into the server and the CLI under test: prints the process's peak RSS (kB) on stderr
// as it exits, for bench/workspace/peak-rss.ts. Written with writeSync, so it is out before the process is gone.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n@@bench-max-rss ${process.resourceUsage().maxRSS}\n`);
});
