// What a callback URL may be, decided from the URL alone: the API answers 400 with it, the worker checks it again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostListed, parseHostEntry } from '../../src/callbacks/callback-hosts';
import { callbackPolicy, callbackUrlProblem } from '../../src/callbacks/callback-url-policy';

describe('parseHostEntry', () => {
  const cases: [string, ReturnType<typeof parseHostEntry>][] = [
    ['localhost', { host: 'localhost' }],
    ['LocalHost:8080', { host: 'localhost', port: 8080 }],
    ['127.0.0.1:9000', { host: '127.0.0.1', port: 9000 }],
    ['receiver.internal', { host: 'receiver.internal' }],
    ['::1', { host: '[::1]' }],
    ['[::1]:8443', { host: '[::1]', port: 8443 }],
    ['[::ffff:127.0.0.1]', { host: '[::ffff:7f00:1]' }],
    [' payouts.example.com ', { host: 'payouts.example.com' }],
  ];
  for (const [text, entry] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseHostEntry(text), entry));
  }
  for (const text of [
    '',
    'http://localhost',
    'host:',
    'host:0',
    'host:65536',
    'a b',
    'user@host',
    'host/path',
    '[::1',
  ]) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseHostEntry(text), undefined));
  }
});

describe('hostListed', () => {
  const entries = ['localhost', '127.0.0.1:9000', '[::1]:8443'].map((text) => parseHostEntry(text)!);
  it('matches a host entry on any port, and a host:port entry on that port only', () => {
    assert.equal(hostListed(entries, 'localhost', 1234), true);
    assert.equal(hostListed(entries, '127.0.0.1', 9000), true);
    assert.equal(hostListed(entries, '127.0.0.1', 9001), false);
  });
  it('matches IPv6 hosts bracketed (URL) or bare (socket)', () => {
    assert.equal(hostListed(entries, '[::1]', 8443), true);
    assert.equal(hostListed(entries, '::1', 8443), true);
    assert.equal(hostListed(entries, '::1', 443), false);
  });
});

describe('callbackUrlProblem', () => {
  const strict = callbackPolicy();
  const allowed = (url: string) => assert.equal(callbackUrlProblem(url, strict, 'acme'), undefined);
  const refused = (url: string, why: RegExp, policy = strict, clientId = 'acme') =>
    assert.match(callbackUrlProblem(url, policy, clientId) ?? 'allowed', why);

  it('allows https to a public host name or address', () => {
    allowed('https://payouts.example.com/hooks/payments?x=1');
    allowed('https://8.8.8.8/outcome');
    allowed('https://[2606:4700:4700::1111]:8443/outcome');
  });

  it('refuses http unless the operator allows the host', () => {
    refused('http://payouts.example.com/hooks', /must be an https URL/);
    refused('ftp://payouts.example.com/hooks', /must be an https URL/);
    refused('not a url', /must be an https URL/);
  });

  it('refuses a user name or password in the URL', () => {
    refused('https://user:secret@payouts.example.com/', /user name or password/);
  });

  it('refuses localhost names and literal addresses that are not public, however they are spelled', () => {
    refused('https://localhost/admin/reset', /localhost/);
    refused('https://api.localhost:8443/', /api\.localhost/);
    refused('https://127.0.0.1:9000/', /loopback address/);
    refused('https://2130706433/', /loopback address/); // 127.0.0.1 as one number
    refused('https://0x7f.1/', /loopback address/); // 127.0.0.1 in hex, two parts
    refused('https://[::1]/', /loopback address/);
    refused('https://[::ffff:127.0.0.1]/', /ipv4Mapped form of a loopback/);
    refused('https://[::ffff:a9fe:a9fe]/latest/meta-data', /ipv4Mapped form of a linkLocal/);
    refused('https://169.254.169.254/latest/meta-data', /linkLocal address/);
    refused('https://[fd00:ec2::254]/latest/meta-data', /uniqueLocal address/);
    refused('https://10.0.0.5/', /private address/);
    refused('https://100.100.100.200/', /carrierGradeNat address/);
  });

  it('lets an insecure-allowed host use http and a loopback address, on the listed port only', () => {
    const dev = callbackPolicy({ insecureHosts: ['127.0.0.1:9000', 'receiver.internal'] });
    assert.equal(callbackUrlProblem('http://127.0.0.1:9000/callbacks', dev, 'acme'), undefined);
    assert.equal(callbackUrlProblem('http://receiver.internal:1234/', dev, 'acme'), undefined);
    refused('http://127.0.0.1:9001/admin/reset', /must be an https URL/, dev);
    refused('https://127.0.0.1:9001/admin/reset', /loopback address/, dev);
  });

  it("holds a client with a list of callback hosts to them, and leaves other clients' URLs alone", () => {
    const lists: Record<string, string[]> = { globex: ['hooks.globex.example', 'pay.globex.example:8443'] };
    const policy = callbackPolicy({ callbackHostsOf: (clientId) => (clientId ? lists[clientId] : undefined) });
    assert.equal(callbackUrlProblem('https://hooks.globex.example/outcome', policy, 'globex'), undefined);
    assert.equal(callbackUrlProblem('https://pay.globex.example:8443/outcome', policy, 'globex'), undefined);
    refused('https://pay.globex.example/outcome', /not one of this client's callback hosts/, policy, 'globex');
    refused('https://payouts.example.com/outcome', /payouts\.example\.com, which is not one/, policy, 'globex');
    assert.equal(callbackUrlProblem('https://payouts.example.com/outcome', policy, 'acme'), undefined);
  });

  it('still applies the address rules to a host on the client list', () => {
    const policy = callbackPolicy({ callbackHostsOf: () => ['127.0.0.1'] });
    refused('https://127.0.0.1/outcome', /loopback address/, policy);
  });

  it('refuses an insecure-allowed host that is not on the client list', () => {
    const policy = callbackPolicy({ insecureHosts: ['127.0.0.1:9000'], callbackHostsOf: () => ['hooks.example'] });
    refused('http://127.0.0.1:9000/', /not one of this client's callback hosts/, policy);
  });

  it('throws naming an insecure-host entry that is not host or host:port', () => {
    assert.throws(() => callbackPolicy({ insecureHosts: ['http://x'] }), /"http:\/\/x" is not a host or host:port/);
  });
});
