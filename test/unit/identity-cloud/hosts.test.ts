// Where live checks may go: allowed host patterns, HTTPS only, plain HTTP only to listed loopback hosts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ALLOWED_HOSTS, endpointFor } from '../../../server/src/identity-cloud/hosts';

const origin = (domain: string, allowed: readonly string[] = DEFAULT_ALLOWED_HOSTS) => {
  const endpoint = endpointFor(domain, allowed);
  return 'origin' in endpoint ? endpoint.origin : `refused: ${endpoint.refused}`;
};

describe('endpointFor', () => {
  it('allows Capture domains over HTTPS by default', () => {
    assert.equal(origin('acme-prod.eu.janraincapture.com'), 'https://acme-prod.eu.janraincapture.com');
    assert.equal(origin('ACME.janraincapture.com'), 'https://acme.janraincapture.com');
  });

  it('refuses other hosts, saying which patterns were allowed', () => {
    assert.equal(
      origin('evil.example.com'),
      'refused: evil.example.com is not in the allowed hosts (*.janraincapture.com)',
    );
    assert.match(origin('janraincapture.com'), /^refused/, '*.x matches subdomains only');
    assert.match(origin('acme.janraincapture.com.evil.com'), /^refused/);
  });

  it('refuses anything that is not a bare host', () => {
    for (const domain of [
      'https://acme.janraincapture.com',
      'acme.janraincapture.com/path',
      'user@acme.janraincapture.com',
      '',
    ]) {
      assert.match(origin(domain), /^refused: .* is not a bare host name/);
    }
  });

  it('matches ports only when the pattern names them', () => {
    assert.match(origin('acme.janraincapture.com:8443'), /^refused/);
    assert.equal(
      origin('acme.janraincapture.com:8443', ['*.janraincapture.com:8443']),
      'https://acme.janraincapture.com:8443',
    );
    assert.equal(origin('127.0.0.1:4000', ['127.0.0.1:*']), 'https://127.0.0.1:4000');
  });

  it('uses plain HTTP only for loopback hosts listed with http://', () => {
    assert.equal(origin('127.0.0.1:4000', ['http://127.0.0.1:*']), 'http://127.0.0.1:4000');
    assert.equal(origin('localhost:4000', ['http://localhost:4000']), 'http://localhost:4000');
    assert.match(
      origin('acme.janraincapture.com', ['http://*.janraincapture.com']),
      /^refused/,
      'never plain HTTP off the machine',
    );
    assert.match(origin('10.0.0.1:80', ['http://10.0.0.1:*']), /^refused/);
  });
});
