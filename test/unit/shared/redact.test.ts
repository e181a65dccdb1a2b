// The secret masks every log, trace and hover goes through: SecretRedactor (what it learns, which forms of a secret
// it masks, what it leaves alone) and maskSecret (how much of a secret a hover may show).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_SECRET_LENGTH, SecretRedactor, maskSecret } from '../../../server/src/shared/redact';

const MASK = '••••••••';
/** Holds a quote and a backslash, so that its JSON-escaped forms differ from it. */
const SECRET = 'c4n4ry"1eak\\7e5tc4n4ry1eak7e5tq9';
const escaped = (text: string): string => JSON.stringify(text).slice(1, -1);

function redactorKnowing(...secrets: (string | undefined)[]): SecretRedactor {
  const redactor = new SecretRedactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor;
}

/** The text still holds no run of 6 characters of the secret: no fragment is left beside a mask. */
function assertNoFragment(text: string, secret: string): void {
  for (let i = 0; i + 6 <= secret.length; i++) {
    const fragment = secret.slice(i, i + 6);
    assert.ok(!text.includes(fragment), `"${fragment}" of the secret is left in: ${text}`);
  }
}

describe('SecretRedactor', () => {
  it('masks every occurrence of a learned secret', () => {
    const redactor = redactorKnowing(SECRET);
    const out = redactor.redact(`first ${SECRET}, then ${SECRET}.`);
    assert.equal(out, `first ${MASK}, then ${MASK}.`);
  });

  it('masks the JSON-escaped form of a secret (a log line that quotes a value as JSON)', () => {
    assert.notEqual(escaped(SECRET), SECRET, 'the test secret needs escaping');
    const redactor = redactorKnowing(SECRET);
    const line = `loginPolicy.verify.mode: ${JSON.stringify(SECRET)} is not off, onDemand or onSave`;
    const out = redactor.redact(line);
    assert.equal(out, `loginPolicy.verify.mode: "${MASK}" is not off, onDemand or onSave`);
    assertNoFragment(out, SECRET);
    assertNoFragment(out, escaped(SECRET));
  });

  it('masks the form escaped twice (a document quoted inside a traced JSON message)', () => {
    const redactor = redactorKnowing(SECRET);
    const document = JSON.stringify({ clientSecrets: [SECRET] });
    const trace = `Params: ${JSON.stringify({ textDocument: { text: document } })}`;
    assert.ok(trace.includes(escaped(escaped(SECRET))), 'the trace holds the secret escaped twice');
    const out = redactor.redact(trace);
    assert.ok(out.includes(MASK));
    assertNoFragment(out, escaped(escaped(SECRET)));
  });

  it('masks a learned secret whole where it is the value of a secret property, in a document or a message', () => {
    const redactor = redactorKnowing(SECRET);
    const document = JSON.stringify({ clientSecret: SECRET }, null, 2);
    for (const text of [document, JSON.stringify({ textDocument: { text: document } })]) {
      const out = redactor.redact(text);
      assert.ok(out.includes(MASK), out);
      assertNoFragment(out, SECRET);
      assertNoFragment(out, escaped(SECRET));
    }
  });

  it('masks a secret learned with upper-case letters as written, and leaves other words alone', () => {
    const upper = SECRET.toUpperCase();
    const redactor = redactorKnowing(upper);
    assert.equal(redactor.redact(`"${upper}" and "${escaped(upper)}"`), `"${MASK}" and "${MASK}"`);
    assert.equal(redactor.redact('C4N4RY, the first six characters'), 'C4N4RY, the first six characters');
  });

  it(`learns secrets of at least ${MIN_SECRET_LENGTH} characters and nothing shorter`, () => {
    assert.equal(MIN_SECRET_LENGTH, 8);
    const atLimit = 'k3y5ecr3';
    const shorter = 'pa55wd7';
    assert.equal(atLimit.length, MIN_SECRET_LENGTH);
    assert.equal(shorter.length, MIN_SECRET_LENGTH - 1);
    const redactor = redactorKnowing(atLimit, shorter, '', undefined);
    assert.equal(
      redactor.redact(`${atLimit} ${shorter}`),
      `${MASK} ${shorter}`,
      'a short value would mask ordinary words',
    );
  });

  it('masks a whole secret when a prefix of it was learned first (what was typed on the way to it)', () => {
    const full = 'f7u11s3cr3tf7u11s3cr3tf7u11s3cr3';
    const redactor = redactorKnowing(full.slice(0, MIN_SECRET_LENGTH), full.slice(0, 20), full);
    const out = redactor.redact(`error near ${full} and ${JSON.stringify(JSON.stringify({ clientSecrets: [full] }))}`);
    assert.equal(out.split(MASK).length - 1, 2, out);
    assertNoFragment(out, full);
  });

  it("keeps the secret each document embeds now, the last ones replaced, and the session's", () => {
    const typed = 't7p3d0n3t7p3d0n3';
    const now = 'n0wth3s3cr3tn0wth3s3cr3t';
    const shared = 'sh4r3dsh4r3dsh4r3d';
    const redactor = redactorKnowing(shared);
    redactor.setCurrent('file:///a.json', typed);
    assert.equal(redactor.redact(typed), MASK);
    redactor.setCurrent('file:///a.json', now);
    // A log line about the version just replaced (a live check still under way) may still hold its secret.
    assert.equal(redactor.redact(`${typed} ${now}`), `${MASK} ${MASK}`, 'the secret replaced a moment ago');
    redactor.setCurrent('file:///b.json', now);
    redactor.forget('file:///a.json');
    redactor.forget('file:///b.json');
    assert.equal(redactor.redact(now), MASK, 'a document closed a moment ago');
    // A secret the session learned for good outlives the document that embedded it.
    redactor.setCurrent('file:///a.json', shared);
    redactor.forget('file:///a.json');
    assert.equal(redactor.redact(`"${escaped(shared)}"`), `"${MASK}"`);
  });

  it('keeps only the last hundred or so replaced secrets: typing does not grow it without bound', () => {
    const redactor = new SecretRedactor();
    const secretNo = (i: number) => `r3pl4c3d${String(i).padStart(6, '0')}`;
    for (let i = 0; i < 1000; i++) redactor.setCurrent('file:///a.json', secretNo(i));
    assert.equal(redactor.redact(secretNo(999)), MASK, 'the one held now');
    assert.equal(redactor.redact(secretNo(950)), MASK, 'replaced recently');
    assert.equal(redactor.redact(secretNo(0)), secretNo(0), 'replaced long ago');
  });

  it('masks the value of a secret property it never learned, in plain and escaped JSON', () => {
    const redactor = new SecretRedactor();
    const other = 'n3wn3wn3wn3wn3wn3wn3wn3wn3wn3wn3';
    const plain = JSON.stringify({ clientSecret: other, client_secret: other, password: other });
    assert.equal(redactor.redact(plain), `{"clientSecret":"${MASK}","client_secret":"${MASK}","password":"${MASK}"}`);
    const nested = JSON.stringify({ text: JSON.stringify({ clientSecret: other }) });
    assert.equal(redactor.redact(nested), `{"text":"{\\"clientSecret\\":\\"${MASK}\\"}"}`);
  });
});

describe('maskSecret', () => {
  it('shows the last 4 characters of a secret of 12 or more, with their case', () => {
    assert.equal(maskSecret('p9o8i7u6y5t4r3e2w1q0a9s8d7f6G5h4'), `${MASK}G5h4`);
    assert.equal(maskSecret('abcdefghijkl'), `${MASK}ijkl`);
  });

  it('shows nothing of a shorter secret', () => {
    for (const secret of ['abcdefghijk', 'k3y5ecr3', 'pa55wd7', 'abcd', 'x', '']) {
      assert.equal(maskSecret(secret), MASK, `${secret.length} characters`);
    }
  });
});
