// When documents are analysed for their diagnostics: an open document after the typing pauses (or at once when it
// was just opened or its facts changed), files on disk in a background queue that yields to the editor between
// slices, and a document whose findings change with the clock (a grace period that ends) when that time comes.
import { formatError, type Logger } from '../util/logger';
import type { Clock } from '../util/clock';
import { runSafeNotification } from '../util/run-safe';

/** Background work runs in slices this long, so an edit or a hover is never stuck behind a large workspace. */
const SLICE_MS = 15;
/** A grace period counts down in hours; its end is checked once more just after it. */
const HOUR_MS = 3_600_000;

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly clockTimers = new Map<string, () => void>();
  private readonly queue = new Set<string>();
  private draining = false;

  constructor(
    /** Analyses one document and publishes its diagnostics. */
    private readonly run: (uri: string) => Promise<void>,
    private readonly logger: Logger,
    private readonly clock: Clock,
    /** How long typing must pause (known after initialize). */
    private readonly debounceMs: () => number,
  ) {}

  /** Analyses the document after `delay` ms, replacing a run still waiting (an edit restarts the wait). */
  schedule(uri: string, delay: number): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        runSafeNotification(this.logger, `validate ${uri}`, () => this.run(uri));
      }, delay),
    );
  }

  /** After the typing pauses. */
  afterTyping(uri: string): void {
    this.schedule(uri, this.debounceMs());
  }

  /**
   * Facts changed under a document: analyse it at once, unless an edit's run is already waiting for the typing to
   * pause. That run sees the new facts too, and running now would cut the debounce short.
   */
  soon(uri: string): void {
    if (!this.timers.has(uri)) this.schedule(uri, 0);
  }

  /** Many documents (files on disk): in order, in the background, each once however often it is asked for. */
  inBackground(uris: Iterable<string>): void {
    for (const uri of uris) this.queue.add(uri);
    if (!this.draining && this.queue.size > 0) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  /** Stops everything pending for a document (it closed). */
  cancel(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.queue.delete(uri);
    this.clockTimers.get(uri)?.();
    this.clockTimers.delete(uri);
  }

  /**
   * The document's findings change at `until` (a grace period that ends): refreshed hourly while it counts down,
   * and once just after it ends, without an edit. Undefined: nothing to wait for.
   */
  refreshAt(uri: string, until: Date | undefined, refresh: () => void): void {
    this.clockTimers.get(uri)?.();
    this.clockTimers.delete(uri);
    if (!until) return;
    const left = until.getTime() - this.clock.now().getTime();
    const delay = Math.max(1000, Math.min(left + 1000, HOUR_MS));
    this.clockTimers.set(
      uri,
      this.clock.after(delay, () => {
        this.clockTimers.delete(uri);
        refresh();
      }),
    );
  }

  private async drain(): Promise<void> {
    try {
      let sliceStart = Date.now();
      for (const uri of this.queue) {
        this.queue.delete(uri);
        // An edit of its own is on its way: that run decides.
        if (this.timers.has(uri)) continue;
        await this.run(uri).catch((e: unknown) => this.logger.error(`validate ${uri} failed: ${formatError(e)}`));
        if (Date.now() - sliceStart >= SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = Date.now();
        }
      }
    } finally {
      this.draining = false;
      if (this.queue.size > 0) this.inBackground([]);
    }
  }
}
