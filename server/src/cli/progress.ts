// Progress of a long run on stderr: one line when it starts ("pulling 40 login policies…"), then, while it lasts
// longer than a few seconds, how far it got. stdout stays the result alone, so scripts can read it.
import type { CliIo } from './io';

const EVERY_MS = 5000;

export class Progress {
  #done = 0;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: CliIo,
    label: string,
    private readonly total: number,
    everyMs = EVERY_MS,
  ) {
    io.stderr(`login-policy-lint: ${label}…\n`);
    if (total > 0) {
      this.#timer = setInterval(() => io.stderr(`login-policy-lint: … ${this.#done} of ${this.total}\n`), everyMs);
      this.#timer.unref();
    }
  }

  tick(): void {
    this.#done++;
  }

  done(): void {
    clearInterval(this.#timer);
  }
}

/** "1 login policy", "3 login policies". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
