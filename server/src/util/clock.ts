// The wall clock the server judges time-dependent findings by (a grace period that ends), injectable so that tests
// can move time forward instead of waiting for it.

export interface Clock {
  now(): Date;
  /** Runs `fn` once, `ms` milliseconds of this clock from now; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
