// Which addresses a callback may connect to, on the published special-purpose vectors: RFC 6890 and the IANA IPv4 and
// IPv6 Special-Purpose Address Registries, the cloud metadata endpoints, and the transition forms that embed IPv4.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressRefusal } from '../../src/callbacks/callback-address';

/** [address, why it is refused: a word the refusal must contain]. */
const REFUSED_V4: [string, string][] = [
  ['0.0.0.0', 'unspecified'], // RFC 1122 "this host"
  ['0.1.2.3', 'unspecified'], // 0.0.0.0/8
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'], // RFC 1918
  ['10.255.255.255', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'], // AWS, GCP, Azure, OpenStack instance metadata
  ['169.254.170.2', 'linkLocal'], // AWS ECS task metadata
  ['169.254.0.1', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'], // RFC 6598
  ['100.127.255.255', 'carrierGradeNat'],
  ['100.100.100.200', 'carrierGradeNat'], // Alibaba Cloud metadata
  ['192.0.0.192', 'reserved'], // Oracle Cloud metadata, in 192.0.0.0/24 (IETF protocol assignments)
  ['192.0.0.170', 'reserved'], // RFC 7050 NAT64 discovery
  ['192.0.2.1', 'reserved'], // RFC 5737 TEST-NET-1
  ['198.51.100.7', 'reserved'], // TEST-NET-2
  ['203.0.113.200', 'reserved'], // TEST-NET-3
  ['198.18.0.1', 'reserved'], // RFC 2544 benchmarking
  ['198.19.255.255', 'reserved'],
  ['192.88.99.1', 'reserved'], // RFC 7526 6to4 relay anycast
  ['240.0.0.1', 'reserved'], // RFC 1112 class E
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'], // SSDP
  ['255.255.255.255', 'broadcast'],
];

/** Public unicast, including the first and last addresses just outside each refused range. */
const PUBLIC_V4 = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '9.255.255.255',
  '11.0.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
];

const REFUSED_V6: [string, string][] = [
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['fe80::1', 'linkLocal'],
  ['fe80::1%eth0', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'], // RFC 4193
  ['fd00:ec2::254', 'uniqueLocal'], // AWS instance metadata over IPv6
  ['fd12:3456:789a::1', 'uniqueLocal'],
  ['fec0::1', 'SiteLocal'], // RFC 3879, deprecated site-local
  ['ff02::1', 'multicast'],
  ['ff05::1:3', 'multicast'],
  ['2001:db8::1', 'reserved'], // RFC 3849 documentation
  ['3fff::1', 'reserved'], // RFC 9637 documentation
  ['2001:2::1', 'benchmarking'], // RFC 5180
  ['2001::1', 'teredo'], // RFC 4380: the client's IPv4 is obfuscated, never a callback receiver
  ['100::1', 'discard'], // RFC 6666
  ['64:ff9b:1::a00:1', 'rfc6052'], // RFC 8215 local-use NAT64: a private network by definition
  ['4000::1', 'reserved'], // outside 2000::/3, the global unicast space
  ['::13.1.68.3', 'reserved'], // RFC 4291 §2.2's IPv4-compatible example, deprecated (§2.5.5.1)
  ['::127.0.0.1', 'reserved'], // IPv4-compatible loopback
];

/** IPv6 forms that carry an IPv4 address: refused when the IPv4 address is, with both named. */
const REFUSED_EMBEDDED: [string, string][] = [
  ['::ffff:127.0.0.1', 'ipv4Mapped form of a loopback'],
  ['::ffff:7f00:1', 'ipv4Mapped form of a loopback'],
  ['::FFFF:10.1.2.3', 'ipv4Mapped form of a private'],
  ['::ffff:169.254.169.254', 'ipv4Mapped form of a linkLocal'],
  ['::ffff:100.100.100.200', 'ipv4Mapped form of a carrierGradeNat'],
  ['::ffff:0.0.0.0', 'ipv4Mapped form of a unspecified'],
  ['::ffff:0:127.0.0.1', 'rfc6145 form of a loopback'], // RFC 6145 IPv4-translated
  ['64:ff9b::127.0.0.1', 'rfc6052 form of a loopback'], // RFC 6052 well-known NAT64 prefix
  ['64:ff9b::a9fe:a9fe', 'rfc6052 form of a linkLocal'], // 169.254.169.254 through NAT64
  ['64:ff9b::192.0.2.33', 'rfc6052 form of a reserved'], // RFC 6052 §2.4's own example
  ['2002:7f00:1::1', '6to4 form of a loopback'], // RFC 3056: 2002:V4ADDR::/48
  ['2002:c0a8:101::1', '6to4 form of a private'], // 192.168.1.1
  ['2002:a9fe:a9fe::1', '6to4 form of a linkLocal'],
];

const PUBLIC_V6 = [
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '2a00:1450:4001:830::200e',
  '::ffff:8.8.8.8',
  '::ffff:129.144.52.38', // RFC 4291 §2.2's IPv4-mapped example
  '64:ff9b::8.8.8.8', // NAT64 (DNS64) of a public IPv4 address
  '2002:808:808::1', // 6to4 of 8.8.8.8
];

describe('addressRefusal: IPv4', () => {
  for (const [address, why] of REFUSED_V4) {
    it(`refuses ${address} (${why})`, () => assert.equal(addressRefusal(address), why));
  }
  for (const address of PUBLIC_V4) {
    it(`allows ${address}`, () => assert.equal(addressRefusal(address), undefined));
  }
});

describe('addressRefusal: IPv6', () => {
  for (const [address, why] of REFUSED_V6) {
    it(`refuses ${address} (${why})`, () => assert.match(addressRefusal(address) ?? 'allowed', new RegExp(why)));
  }
  for (const address of PUBLIC_V6) {
    it(`allows ${address}`, () => assert.equal(addressRefusal(address), undefined));
  }
});

describe('addressRefusal: IPv6 forms carrying an IPv4 address', () => {
  for (const [address, why] of REFUSED_EMBEDDED) {
    it(`refuses ${address} (${why})`, () => assert.equal(addressRefusal(address), `${why} IPv4 address`));
  }
});

describe('addressRefusal: what is not an address', () => {
  for (const text of ['', 'localhost', 'example.com', '::ffff:999.0.0.1', '1:2:3:4:5:6:7:8:9']) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(addressRefusal(text), 'not an IP address'));
  }
});
