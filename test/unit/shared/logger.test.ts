// The server's logger: every line that goes to the client's log is redacted, at every level, and errors are
// formatted with their message and the top of the stack.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from 'vscode-languageserver';
import { SecretRedactor } from '../../../server/src/shared/redact';
import { connectionLogger, formatError } from '../../../server/src/util/logger';

const SECRET = 'l0gg3rs3cr3tl0gg3rs3cr3tl0gg3rs3';

/** A connection whose console records what it was given, by level. */
function recordingConnection(): { connection: Connection; lines: [string, string][] } {
  const lines: [string, string][] = [];
  const console = Object.fromEntries(
    ['error', 'warn', 'info', 'log', 'debug'].map((level) => [level, (m: string) => void lines.push([level, m])]),
  );
  return { connection: { console } as unknown as Connection, lines };
}

describe('connectionLogger', () => {
  it('masks a known secret, raw and JSON-escaped, at every level', () => {
    const { connection, lines } = recordingConnection();
    const redactor = new SecretRedactor();
    redactor.add(SECRET);
    const logger = connectionLogger(connection, redactor);
    logger.error(`a ${SECRET}`);
    logger.warn(`b ${JSON.stringify({ value: SECRET })}`);
    logger.info(`c ${SECRET}`);
    logger.debug(`d ${SECRET}`);
    assert.deepEqual(
      lines.map(([level]) => level),
      ['error', 'warn', 'info', 'debug'],
    );
    for (const [, line] of lines) {
      assert.ok(!line.includes(SECRET), line);
      assert.match(line, /••••••••/);
    }
  });

  it('masks the value of a secret property it was never told about', () => {
    const { connection, lines } = recordingConnection();
    connectionLogger(connection, new SecretRedactor()).info(`sent {"clientSecret": "${SECRET}"}`);
    assert.equal(lines[0]![1], 'sent {"clientSecret": "••••••••"}');
  });

  it('formats an error with its name, message and the top of its stack', () => {
    const error = new TypeError('bad thing');
    const text = formatError(error);
    assert.match(text, /^TypeError: bad thing\n {4}at /);
    assert.ok(text.split('\n').length <= 6);
    assert.equal(formatError('plain'), 'plain');
  });
});
