import ipaddr from 'ipaddr.js';

/**
 * The global unicast space (RFC 4291 §2.4, IANA IPv6 Address Space): IPv6 outside it is reserved by the IETF, which
 * includes the deprecated IPv4-compatible form `::a.b.c.d` (RFC 4291 §2.5.5.1).
 */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
/** NAT64 with the well-known prefix (RFC 6052 §2.1): the IPv4 address is the last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const ipv4FromParts = (high: number, low: number): ipaddr.IPv4 =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 address an IPv6 transition form carries (mapped, translated, NAT64, 6to4), if it is one that does. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  switch (address.range() as string) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
    case 'rfc6145': // ::ffff:0:a.b.c.d (RFC 6145)
      return ipv4FromParts(parts[6] ?? 0, parts[7] ?? 0);
    case 'rfc6052': // 64:ff9b::a.b.c.d; the local-use 64:ff9b:1::/48 (RFC 8215) is a private network: no IPv4 taken
      return address.match(NAT64_WELL_KNOWN) ? ipv4FromParts(parts[6] ?? 0, parts[7] ?? 0) : undefined;
    case '6to4': // 2002:AABB:CCDD::/48 (RFC 3056 §2)
      return ipv4FromParts(parts[1] ?? 0, parts[2] ?? 0);
    default:
      return undefined;
  }
}

/**
 * An IPv6 address in hexadecimal pieces, as the WHATWG URL parser serializes it, so that the dotted form `::a.b.c.d`
 * reads as the IPv4-compatible address it is (ipaddr.js reads it as `::ffff:a.b.c.d`). The zone is dropped.
 */
function hexIPv6(address: string): string {
  if (!address.includes(':')) return address;
  try {
    return new URL(`http://[${address.replace(/%.*$/, '')}]/`).hostname.slice(1, -1);
  } catch {
    return address; // ipaddr.js refuses it below
  }
}

/** Why an IPv4 address may not receive a callback (its ipaddr.js range), or undefined for a public unicast one. */
function ipv4Refusal(address: ipaddr.IPv4): string | undefined {
  const range = address.range();
  return range === 'unicast' ? undefined : range;
}

/**
 * Why a callback may not connect to this address, or undefined when it is public. Anything that is not public
 * unicast is refused: loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, broadcast,
 * unspecified, reserved, documentation, benchmarking, unique-local (fd00:ec2::254), and IPv6 forms that carry a
 * refused IPv4 address (IPv4-mapped, NAT64, 6to4). The ranges are ipaddr.js's (IANA special-purpose registries).
 */
export function addressRefusal(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(hexIPv6(address));
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv4') return ipv4Refusal(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range() as string;
  const carried = embeddedIPv4(v6);
  if (carried) {
    const refusal = ipv4Refusal(carried);
    return refusal ? `${range} form of a ${refusal} IPv4 address` : undefined;
  }
  if (range !== 'unicast') return range;
  return v6.match(IPV6_GLOBAL_UNICAST) ? undefined : 'reserved';
}
