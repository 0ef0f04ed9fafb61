import ipaddr from 'ipaddr.js';
import { isIP } from 'net';

/** Why an address is not on the public internet, in words an admin reads in an error. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  private: 'private network (RFC 1918)',
  reserved: 'reserved',
  as112: 'reserved (AS112)',
  amt: 'reserved (AMT)',
  uniqueLocal: 'unique-local (fc00::/7)',
  deprecatedSiteLocal: 'site-local (fec0::/10)',
  discard: 'discard-only (100::/64)',
  rfc6145: 'IPv4-translated (::ffff:0:0:0/96)',
  rfc6052: 'NAT64 (64:ff9b::/96, 64:ff9b:1::/48)',
  '6to4': '6to4 tunnel (2002::/16)',
  teredo: 'Teredo tunnel (2001::/32)',
  benchmarking: 'benchmarking (2001:2::/48)',
  as112v6: 'reserved (AS112)',
  deprecatedOrchid: 'reserved (ORCHID)',
  orchid2: 'reserved (ORCHIDv2)',
  droneRemoteIdProtocolEntityTags: 'reserved (DRIP)',
  segmentRouting: 'reserved (segment routing)',
};

/** 2000::/3: the only IPv6 block handed out for the public internet. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];

/**
 * The kind of non-public range an IP address lies in ("loopback", "private network (RFC 1918)" …),
 * or null for a public unicast address. IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible
 * (::a.b.c.d) IPv6 forms are judged by the IPv4 address inside them, since that is where the
 * operating system connects. Anything that does not parse as an address is refused too.
 */
export function refusedRange(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(withoutBrackets(address));
  } catch {
    return 'not an IP address';
  }
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const embedded = embeddedIPv4(v6);
    if (embedded) {
      const inner = refusedRange(embedded.toString());
      return inner && `${inner}, as IPv4 inside IPv6`;
    }
    const range = v6.range();
    if (range !== 'unicast') return RANGE_NAMES[range] ?? range;
    return v6.match(GLOBAL_UNICAST_V6) ? null : 'reserved';
  }
  const range = (parsed as ipaddr.IPv4).range();
  return range === 'unicast' ? null : (RANGE_NAMES[range] ?? range);
}

/** The IPv4 address an IPv4-mapped (::ffff:0:0/96) or IPv4-compatible (::/96) IPv6 address stands for. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const [a, b, c, d, e, f, g, h] = address.parts;
  if (a || b || c || d || e) return null;
  if (f === 0xffff) return address.toIPv4Address();
  // :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
  if (f === 0 && (g !== 0 || h > 1)) return ipaddr.IPv4.parse(`${g >> 8}.${g & 0xff}.${h >> 8}.${h & 0xff}`);
  return null;
}

/** The IP address a URL's or a form's host is written as (brackets of an IPv6 URL host removed), or null for a name. */
export function ipLiteralOf(host: string): string | null {
  const bare = withoutBrackets(host);
  // As Node decides: a literal is connected to without a lookup. Shorthand forms such as "127.1"
  // are names to Node, so the system resolver turns them into an address that is then checked.
  return isIP(bare) ? bare : null;
}

/**
 * Names that by definition point inside (RFC 6761 localhost, RFC 6762 .local, ICANN's .internal),
 * refused without asking DNS, so a resolver that answers them oddly changes nothing.
 */
export function isInternalHostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.local') || name.endsWith('.internal') || name.endsWith('.home.arpa');
}

function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
