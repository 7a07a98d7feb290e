/**
 * Lets the server's thread answer what waits (requests, timers) before long work goes on. One
 * setImmediate called from an I/O callback (a child process's exit, a request) runs before the
 * loop polls again and so lets nothing in; the second, queued from that check phase, runs only
 * after the next poll.
 */
export function yieldToServer(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
