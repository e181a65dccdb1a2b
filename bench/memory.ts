// Runs the memory child (REPORT §7.6) in a fresh process with a 1 GiB young generation and returns its measurements.
import { execFile } from 'node:child_process';
import path from 'node:path';
import type { MemoryResult } from './memory-child';

export const MEMORY_FLAGS = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=1024'] as const;

export function runMemory(sizes: readonly string[], samples: number): Promise<MemoryResult> {
  const child = path.join(__dirname, 'memory-child.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...MEMORY_FLAGS, child, sizes.join(','), String(samples)],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`memory child failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as MemoryResult);
        } catch (e) {
          reject(new Error(`memory child printed no result: ${String(e)}\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
