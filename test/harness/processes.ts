// What every emulator harness shares: a free loopback port, and servers that are always stopped,
// even when a test process crashes.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const running = new Set<ChildProcess>();
// A crashed test run must not leave emulators behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Registers a server process to be killed when the test process exits, whatever happens. */
export function trackChild(child: ChildProcess): void {
  running.add(child);
}

/** SIGTERM, then SIGKILL after 5 s; forgets the process. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.delete(child);
}

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
