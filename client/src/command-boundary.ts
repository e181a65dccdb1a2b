// The boundary of the Identity Cloud commands: an error none of their own answers expected (a bug, an editor API that
// threw) stops here. It is logged through the redacting log, stack included, and said as an internal error. Left to
// VS Code, the command would reject: VS Code would show the error's raw words in its "command failed" notification
// and write them, with the stack and unredacted, to the extension host's log.
import type { Ctx } from './ctx';
import { showErrorMessage } from './notify';

/** A command's `reason` after an internal error. */
export const INTERNAL_ERROR = 'internal error: see the Login Policy output';

/**
 * `run`, whose unexpected errors become `failed(INTERNAL_ERROR)`, a redacted log line and an error notification
 * (`title` is the command's name; `after`, a sentence on what the user can do next).
 */
export function guarded<A extends unknown[], T>(
  ctx: Pick<Ctx, 'log'>,
  title: string,
  run: (...args: A) => Promise<T>,
  failed: (reason: string) => T,
  after = '',
): (...args: A) => Promise<T> {
  return async (...args) => {
    try {
      return await run(...args);
    } catch (error) {
      const what = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
      ctx.log.error(`${title} stopped at an internal error: ${what}`);
      void showErrorMessage(
        `${title} stopped at an internal error: see the Login Policy output.${after ? ` ${after}` : ''}`,
        'Show Output',
      ).then((choice) => choice && ctx.log.show(true));
      return failed(INTERNAL_ERROR);
    }
  };
}
