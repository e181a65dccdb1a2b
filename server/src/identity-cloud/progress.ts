// Progress of a long run on the CLI's stderr: one line when it starts ("pulling 40 login policies…"), then, while it
// lasts longer than a few seconds, how far it got. stdout stays the result alone, so scripts can read it. An editor
// passes its own ProgressSink instead (a progress notification).

/** What a long run reports: started with a label and a total, then one tick per item done. */
export interface ProgressSink {
  tick(): void;
  done(): void;
}

/** Makes the sink of one run; `label` names the run in words ("pulling 3 login policies and …"). */
export type ProgressFactory = (label: string, total: number) => ProgressSink;

const EVERY_MS = 5000;

export class Progress implements ProgressSink {
  #done = 0;
  readonly #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: { readonly stderr: (text: string) => void },
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
