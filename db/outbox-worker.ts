// The loop every outbox consumer runs (the search indexer, the matcher, the mailer): deliver a
// round, sleep when there is nothing to do or wake early when nudged, and back off while the
// destination is unreachable. OutboxWorker is the base they extend: start, stop, nudge, drain
// and health are the same for all; what a round does is the consumer's business.
import { silentLogger, type Logger } from "./log";

export interface RoundResult {
  delivered: number;
  failed: number;
  dead: number;
  /** The destination could not be reached; rows stay pending, unharmed. */
  unreachable: boolean;
}

export const EMPTY_ROUND: RoundResult = { delivered: 0, failed: 0, dead: 0, unreachable: false };

export interface LoopOptions {
  pollMs?: number;
  /** Longest wait between tries while the destination is unreachable. */
  maxOutageWaitMs?: number;
  log?: Logger;
  name: string;
}

export class OutboxLoop {
  private readonly pollMs: number;
  private readonly maxOutageWaitMs: number;
  private readonly log: Logger;
  private readonly name: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly round: () => Promise<RoundResult>,
    options: LoopOptions,
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.maxOutageWaitMs = options.maxOutageWaitMs ?? 2_000;
    this.log = options.log ?? silentLogger;
    this.name = options.name;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
  }

  /** Wake the loop now instead of at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    let outageWait = 250;
    while (this.running) {
      let result = EMPTY_ROUND;
      try {
        result = await this.round();
      } catch (error) {
        this.log.error(`${this.name} round failed`, { error });
      }
      if (!this.running) break;
      if (result.unreachable) {
        await this.sleep(outageWait);
        outageWait = Math.min(this.maxOutageWaitMs, outageWait * 2);
      } else {
        outageWait = 250;
        if (result.delivered + result.failed + result.dead === 0) await this.sleep(this.pollMs);
      }
    }
  }

  /** Runs rounds until nothing is due (for command-line tools and tests). */
  async drain(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const result = await this.round();
      if (result.unreachable) throw new Error(`${this.name}: destination unreachable`);
      if (result.delivered + result.failed + result.dead === 0) return;
    }
    throw new Error(`${this.name}: the outbox did not drain in time`);
  }
}

export interface WorkerOptions {
  pollMs?: number;
  maxOutageWaitMs?: number;
  log?: Logger;
}

/** An outbox consumer: subclasses say what one round does; the loop, waking and health are here. */
export abstract class OutboxWorker {
  protected readonly log: Logger;
  private readonly loop: OutboxLoop;
  private outageSince: number | undefined;

  constructor(
    name: string,
    options: WorkerOptions,
    private readonly drainTimeoutMs = 60_000,
  ) {
    this.log = options.log ?? silentLogger;
    this.loop = new OutboxLoop(() => this.runOnce(), { pollMs: options.pollMs, maxOutageWaitMs: options.maxOutageWaitMs, log: this.log, name });
  }

  /** One round: deliver up to one batch of due rows. */
  abstract runOnce(): Promise<RoundResult>;

  /** Whether the last attempt reached the destination. */
  get healthy(): boolean {
    return this.outageSince === undefined;
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Wake the worker now (after a write in this process). */
  nudge(): void {
    this.loop.nudge();
  }

  /** Runs rounds until nothing is due (for command-line tools and tests). */
  drain(timeoutMs = this.drainTimeoutMs): Promise<void> {
    return this.loop.drain(timeoutMs);
  }

  /** The destination failed: warn once per outage, not on every try. */
  protected noteOutage(warning: string, fields: Record<string, unknown>): void {
    if (this.outageSince !== undefined) return;
    this.outageSince = Date.now();
    this.log.warn(warning, fields);
  }

  /** The destination answered again: say so once, with how long it was down. */
  protected noteRecovery(message: string): void {
    if (this.outageSince === undefined) return;
    this.log.info(message, { downMs: Date.now() - this.outageSince });
    this.outageSince = undefined;
  }
}
