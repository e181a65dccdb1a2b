// Loaded with `node --require` into the server and the CLI under test: prints the process's peak RSS (kB) and CPU
// time (µs) on stderr as it exits, for bench/workspace/child.ts. writeSync: it is out before the process is gone.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\n@@bench-usage ${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
});
