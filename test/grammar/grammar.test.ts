// Tokenizes login policy text with the TextMate grammar (vscode-textmate + oniguruma) and checks the scopes it assigns.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const SCOPE_NAME = 'source.json.login-policy';
const GRAMMAR_PATH = path.resolve(__dirname, '../../../syntaxes/login-policy.tmLanguage.json');

const KEY = 'support.type.property-name.json';
const TOP_LEVEL = 'support.type.property-name.json.top-level.login-policy';
const FROZEN = 'support.type.property-name.json.frozen.login-policy';
const BLOCK = 'meta.identity-store-details.login-policy';
const STRING = 'string.quoted.double.json';
const SECRET = 'string.quoted.double.json.secret.login-policy';

/** The GET response of identity-cloud-facts.md §2.2, with a few comments and one nested `title` claim. */
const POLICY = `// ACME EU login policy, pulled from Identity Cloud
{
  "id": "7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58",
  /* frozen after creation */
  "identityStoreDetails": {
    "type": "janrainCapture",
    "connectionDetails": {
      "domain": "acme-prod.eu.janraincapture.com",
      "applicationId": "q7w2e9r4t6y1u8i3o5p0a2s4dz",
      "entityType": "user",
      "clientId": "m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6", // owner client
      "clientSecret": "p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4",
      "scopes": ["read", { "kind": "write" }]
    }
  },
  "loginURL": "https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login",
  "customClaims": {
    "id_token": { "newsletter": "optIn.status", "title": "professionalTitle", "id": "uuid" },
    "userinfo": { "display_name": "displayName", "zip": "primaryAddress.zip" }
  },
  "title": "ACME EU Login Policy v2",
  "_links": {
    "self": { "href": "/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/config/loginPolicies/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58" }
  }
}
`;

let grammar: vsctm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: (scopeName: string) =>
      Promise.resolve(
        scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
      ),
  });
  const loaded = await registry.loadGrammar(SCOPE_NAME);
  assert.ok(loaded, `grammar ${SCOPE_NAME} loads`);
  grammar = loaded;
});

interface Token {
  text: string;
  scopes: string[];
}

/** The tokens of every line of `text`, tokenized in order with the state carried across lines. */
function tokenize(text: string): Token[][] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The token that contains the first character of the `occurrence`-th (0-based) occurrence of `needle` in `text`. */
function tokenAt(text: string, needle: string, occurrence = 0): Token {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.notEqual(offset, -1, `occurrence ${occurrence} of ${JSON.stringify(needle)} is in the text`);
  }
  const before = text.slice(0, offset).split('\n');
  const line = before.length - 1;
  const column = before[line]!.length;
  const token = tokenize(text)[line]!.find((t, i, all) => {
    const start = all.slice(0, i).reduce((n, p) => n + p.text.length, 0);
    return start <= column && column < start + t.text.length;
  });
  assert.ok(token, `a token covers ${JSON.stringify(needle)}`);
  return token;
}

/** The scope list (outermost first) of the token containing the start of `needle`'s `occurrence`-th occurrence. */
function scopesAt(text: string, needle: string, occurrence = 0): string[] {
  return tokenAt(text, needle, occurrence).scopes;
}

function assertHas(text: string, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesAt(text, needle, occurrence);
  assert.ok(scopes.includes(scope), `${JSON.stringify(needle)} #${occurrence} has ${scope}; got ${scopes.join(' ')}`);
}

function assertLacks(text: string, needle: string, scope: string, occurrence = 0): void {
  const scopes = scopesAt(text, needle, occurrence);
  assert.ok(
    !scopes.includes(scope),
    `${JSON.stringify(needle)} #${occurrence} lacks ${scope}; got ${scopes.join(' ')}`,
  );
}

describe('login-policy grammar', () => {
  it('is a valid JSON file with the contributed scopeName and no dependency on source.json', () => {
    const raw = JSON.parse(fs.readFileSync(GRAMMAR_PATH, 'utf8')) as { scopeName?: unknown };
    assert.equal(raw.scopeName, SCOPE_NAME);
    const includes = [...JSON.stringify(raw).matchAll(/"include":"([^"]*)"/g)].map((m) => m[1]);
    assert.ok(includes.length > 0);
    for (const include of includes) assert.match(include ?? '', /^#/, `only local includes, got ${include}`);
  });

  it('gives the known top-level keys the top-level scope, keeping the property-name scope', () => {
    for (const key of ['"id"', '"identityStoreDetails"', '"loginURL"', '"customClaims"', '"title"', '"_links"']) {
      const occurrence = key === '"title"' ? 1 : 0;
      const scopes = scopesAt(POLICY, key, occurrence);
      assert.equal(scopes[0], SCOPE_NAME);
      assert.ok(scopes.includes(TOP_LEVEL), `${key}: ${scopes.join(' ')}`);
      assert.ok(scopes.includes('string.json'), `${key}: ${scopes.join(' ')}`);
      assert.ok(!scopes.includes(BLOCK) && !scopes.includes(FROZEN), `${key}: ${scopes.join(' ')}`);
    }
    assert.equal(tokenAt(POLICY, 'loginURL').text, 'loginURL');
  });

  it('does not give nested keys with the same names the top-level scope', () => {
    // The claims `"title"` and `"id"` inside customClaims.id_token.
    for (const [key, occurrence] of [
      ['"title"', 0],
      ['"id"', 1],
    ] as const) {
      assertHas(POLICY, key, KEY, occurrence);
      assertLacks(POLICY, key, TOP_LEVEL, occurrence);
      assertLacks(POLICY, key, FROZEN, occurrence);
    }
    assertHas(POLICY, '"newsletter"', KEY);
    assertLacks(POLICY, '"newsletter"', TOP_LEVEL);
    assertHas(POLICY, '"self"', KEY);
    assertLacks(POLICY, '"href"', TOP_LEVEL);
    // A value equal to a known key name is a string, not a key.
    const text = '{ "customClaims": { "userinfo": { "claim": "title" } } }';
    assertHas(text, 'title', STRING);
    assertLacks(text, 'title', KEY);
  });

  it('marks every key inside identityStoreDetails as frozen, at both levels and for unknown keys', () => {
    const keys = ['type', 'connectionDetails', 'domain', 'applicationId', 'entityType', 'clientId', 'clientSecret'];
    for (const key of [...keys, 'scopes', 'kind']) {
      const scopes = scopesAt(POLICY, `"${key}"`);
      assert.ok(scopes.includes(FROZEN), `${key}: ${scopes.join(' ')}`);
      assert.ok(scopes.includes(BLOCK), `${key}: ${scopes.join(' ')}`);
      assert.ok(!scopes.includes(TOP_LEVEL), `${key}: ${scopes.join(' ')}`);
    }
    assert.equal(tokenAt(POLICY, 'connectionDetails').text, 'connectionDetails');
    // The values inside the block are ordinary values in the block.
    assertHas(POLICY, 'janrainCapture', STRING);
    assertHas(POLICY, 'janrainCapture', BLOCK);
    assertLacks(POLICY, 'janrainCapture', FROZEN);
    assertHas(POLICY, '"read"', 'meta.structure.array.json');
  });

  it('scopes the braces of the identityStoreDetails value as the block', () => {
    const open = tokenAt(POLICY, '{\n    "type"');
    assert.ok(open.scopes.includes(BLOCK), open.scopes.join(' '));
    assert.ok(open.scopes.includes('punctuation.definition.dictionary.begin.json'));
    const close = tokenAt(POLICY, '}\n  },\n  "loginURL"');
    assert.ok(close.scopes.includes(BLOCK), 'connectionDetails closing brace is in the block');
    const blockClose = tokenAt(POLICY, '},\n  "loginURL"');
    assert.ok(blockClose.scopes.includes(BLOCK), blockClose.scopes.join(' '));
    assert.ok(blockClose.scopes.includes('punctuation.definition.dictionary.end.json'));
  });

  it('ends the block at the closing brace of identityStoreDetails', () => {
    const comma = tokenAt(POLICY, ',\n  "loginURL"');
    assert.ok(!comma.scopes.includes(BLOCK), comma.scopes.join(' '));
    assert.ok(comma.scopes.includes('punctuation.separator.dictionary.pair.json'), comma.scopes.join(' '));
    for (const needle of ['"loginURL"', 'https://v1.api.eu', '"customClaims"', '"_links"', '"href"']) {
      assertLacks(POLICY, needle, BLOCK);
      assertLacks(POLICY, needle, FROZEN);
    }
    assertHas(POLICY, '"loginURL"', TOP_LEVEL);
    assertHas(POLICY, '"title"', TOP_LEVEL, 1);
    // The root object ends at its own brace, and nothing is open after it.
    const lines = tokenize(POLICY + 'null');
    const close = lines[lines.length - 2]!;
    assert.deepEqual(close[0]!.scopes, [
      SCOPE_NAME,
      'meta.structure.dictionary.json',
      'punctuation.definition.dictionary.end.json',
    ]);
    assert.deepEqual(lines[lines.length - 1]![0]!.scopes, [SCOPE_NAME, 'constant.language.json']);
  });

  it('gives the clientSecret value the secret scope and no other value', () => {
    const secret = tokenAt(POLICY, 'p9o8i7u6');
    assert.equal(secret.text, 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4');
    assert.ok(secret.scopes.includes(SECRET), secret.scopes.join(' '));
    assert.ok(secret.scopes.includes(BLOCK));
    assertHas(POLICY, '"p9o8', 'punctuation.definition.string.begin.json');
    assertHas(POLICY, '"p9o8', SECRET);
    assertLacks(POLICY, 'm3n8b2v7', SECRET);
    assertHas(POLICY, 'm3n8b2v7', STRING);
    assertLacks(POLICY, 'q7w2e9r4', SECRET);
    // The pair after the secret is back to normal frozen content.
    assertHas(POLICY, '"scopes"', FROZEN);
    assertLacks(POLICY, '"read"', SECRET);
  });

  it('does not treat a clientSecret key outside identityStoreDetails as secret or frozen', () => {
    const text = `{
  "title": "t",
  "customClaims": { "id_token": { "clientSecret": "not-a-secret" } },
  "clientSecret": "also-not-a-secret"
}`;
    for (const occurrence of [0, 1]) {
      assertHas(text, '"clientSecret"', KEY, occurrence);
      assertLacks(text, '"clientSecret"', FROZEN, occurrence);
      assertLacks(text, '"clientSecret"', TOP_LEVEL, occurrence);
    }
    for (const value of ['not-a-secret', 'also-not-a-secret']) {
      assertHas(text, value, STRING);
      assertLacks(text, value, SECRET);
    }
  });

  it('scopes line and block comments, inside and outside the block', () => {
    assertHas(POLICY, '// ACME', 'comment.line.double-slash.js');
    assertHas(POLICY, '// ACME', 'punctuation.definition.comment.json');
    assertHas(POLICY, 'ACME EU login policy', 'comment.line.double-slash.js');
    assertHas(POLICY, '/* frozen', 'comment.block.json');
    assertHas(POLICY, 'frozen after creation', 'comment.block.json');
    assertHas(POLICY, '// owner client', 'comment.line.double-slash.js');
    assertHas(POLICY, '// owner client', BLOCK);
    const multiLine = `{
  /* a block
     "title": "not a key" */
  "title": /** doc */ "x" // trailing
}`;
    assertHas(multiLine, '"title": "not', 'comment.block.json');
    assertLacks(multiLine, '"title": "not', KEY);
    assertHas(multiLine, '"title": /**', TOP_LEVEL);
    assertHas(multiLine, '/** doc', 'comment.block.documentation.json');
    assertHas(multiLine, '"x"', STRING);
    assertHas(multiLine, 'trailing', 'comment.line.double-slash.js');
  });

  it('scopes strings, numbers, constants and punctuation like VS Code JSON', () => {
    const text = '{ "a": "s", "n": -12.5e3, "z": 0, "t": true, "f": false, "u": null, "l": [1, "two"] }';
    assertHas(text, '{', 'punctuation.definition.dictionary.begin.json');
    assertHas(text, '"a"', 'punctuation.support.type.property-name.begin.json');
    assertHas(text, 'a"', KEY);
    assertHas(text, ':', 'punctuation.separator.dictionary.key-value.json');
    assertHas(text, ',', 'punctuation.separator.dictionary.pair.json');
    assertHas(text, '"s"', STRING);
    assertHas(text, '"s"', 'meta.structure.dictionary.value.json');
    assert.equal(tokenAt(text, '-12.5e3').text, '-12.5e3');
    assertHas(text, '-12.5e3', 'constant.numeric.json');
    assertHas(text, '0,', 'constant.numeric.json');
    for (const constant of ['true', 'false', 'null']) assertHas(text, constant, 'constant.language.json');
    assertHas(text, '[', 'punctuation.definition.array.begin.json');
    assertHas(text, ', "two"', 'punctuation.separator.array.json');
    assertHas(text, '"two"', STRING);
    assertHas(text, ']', 'punctuation.definition.array.end.json');
    assertHas(text, ' }', 'meta.structure.dictionary.json');
    assertHas(text, '}', 'punctuation.definition.dictionary.end.json');
  });

  it('scopes escapes inside strings, keys and the secret', () => {
    const text = String.raw`{
  "title": "ACME \"EU\" caf\u00e9\n\/ \x",
  "customClaims": { "a\tb": "c" },
  "identityStoreDetails": { "connectionDetails": { "clientSecret": "p9\\o8\u0041" } }
}`;
    for (const escape of [String.raw`\"EU`, String.raw`\u00e9`, String.raw`\n`, String.raw`\/`]) {
      assert.equal(tokenAt(text, escape).text, escape.slice(0, escape.startsWith('\\u') ? 6 : 2));
      assertHas(text, escape, 'constant.character.escape.json');
      assertHas(text, escape, STRING);
    }
    assertHas(text, String.raw`\x`, 'invalid.illegal.unrecognized-string-escape.json');
    assertHas(text, String.raw`\t`, 'constant.character.escape.json');
    assertHas(text, String.raw`\t`, KEY);
    assertHas(text, String.raw`\\o8`, 'constant.character.escape.json');
    assertHas(text, String.raw`\\o8`, SECRET);
    assertHas(text, String.raw`\u0041`, SECRET);
    assertHas(text, 'p9', SECRET);
  });

  it('handles single-line minified JSON', () => {
    const minified = JSON.stringify(JSON.parse(POLICY.replace(/(^|\s)\/\/ .*$|\/\*.*?\*\//gm, '')));
    assert.equal(minified.includes('\n'), false);
    assertHas(minified, '"id"', TOP_LEVEL);
    assertHas(minified, '"identityStoreDetails"', TOP_LEVEL);
    assertHas(minified, '"type"', FROZEN);
    assertHas(minified, '"clientSecret"', FROZEN);
    assertHas(minified, 'p9o8i7u6', SECRET);
    assertLacks(minified, 'm3n8b2v7', SECRET);
    assertLacks(minified, '"loginURL"', BLOCK);
    assertHas(minified, '"loginURL"', TOP_LEVEL);
    assertHas(minified, '"title"', KEY);
    assertLacks(minified, '"title"', TOP_LEVEL);
    assertHas(minified, '"title"', TOP_LEVEL, 1);
    assertHas(minified, '"_links"', TOP_LEVEL);
    assertLacks(minified, '"self"', TOP_LEVEL);
    assertHas(minified, '}}', 'punctuation.definition.dictionary.end.json');
    assertHas(minified, '}},"loginURL"', BLOCK);
    assertHas(minified, '},"loginURL"', BLOCK);
    assertLacks(minified, ',"loginURL"', BLOCK);
  });

  it('follows a key and its value on different lines', () => {
    const text = `{
  "identityStoreDetails"
    :
    {
      "connectionDetails":
        { "clientSecret":
            "s3cr3t" }
    },
  "loginURL":
    "https://v1.api.us.janrain.com/a1f4c7e0-2b5d-4e8a-9c3f-6d0b3e7a1c94/auth-ui/login"
}`;
    assertHas(text, '"connectionDetails"', FROZEN);
    assertHas(text, 's3cr3t', SECRET);
    assertHas(text, '"loginURL"', TOP_LEVEL);
    assertLacks(text, '"loginURL"', BLOCK);
    assertHas(text, 'https://', STRING);
  });

  it('marks junk as invalid without leaking it past the object', () => {
    const text = '{ "title": "t" oops, "identityStoreDetails": { "type" ? }, "loginURL": "u" }';
    assertHas(text, 'oops', 'invalid.illegal.expected-dictionary-separator.json');
    assertHas(text, '?', 'invalid.illegal.expected-dictionary-separator.json');
    assertHas(text, '?', BLOCK);
    assertHas(text, '"loginURL"', TOP_LEVEL);
    assertLacks(text, '"loginURL"', BLOCK);
    assertHas(text, '"u"', STRING);
    assertHas('[1 x]', 'x', 'invalid.illegal.expected-array-separator.json');
  });

  it('ends an unterminated string at the end of its line', () => {
    const text = '{\n  "title": "unterminated\n}\n';
    assertHas(text, 'unterminated', STRING);
    assertLacks(text, '}', STRING);
    assertHas(text, '}', 'punctuation.definition.dictionary.end.json');
  });
});
