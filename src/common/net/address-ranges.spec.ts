import fc from 'fast-check';
import { ipLiteralOf, isInternalHostName, refusedRange } from './address-ranges';

const octet = fc.integer({ min: 0, max: 255 });
const v4In = (first: number, second = octet) => fc.tuple(fc.constant(first), second, octet, octet);
const dotted = ([a, b, c, d]: number[]) => `${a}.${b}.${c}.${d}`;
const asNumber = ([a, b, c, d]: number[]) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** The textual forms one IPv4 address takes: dotted, hex, octal, one decimal number, and IPv6 forms carrying it. */
function forms(octets: number[]): string[] {
  const [a, b, c, d] = octets;
  const hex = (n: number) => n.toString(16);
  const high = hex((a << 8) | b);
  const low = hex((c << 8) | d);
  return [
    dotted(octets),
    octets.map((o) => `0x${hex(o)}`).join('.'),
    octets.map((o) => `0${o.toString(8)}`).join('.'),
    String(asNumber(octets)),
    `::ffff:${dotted(octets)}`,
    `[::ffff:${high}:${low}]`,
    `::ffff:${high}:${low}`,
    `0:0:0:0:0:ffff:${dotted(octets)}`,
    `::${dotted(octets)}`,
    `[::${high}:${low}]`,
  ];
}

const insideRanges = fc.oneof(
  v4In(127),
  v4In(10),
  v4In(172, fc.integer({ min: 16, max: 31 })),
  v4In(192, fc.constant(168)),
  v4In(169, fc.constant(254)),
  v4In(100, fc.integer({ min: 64, max: 127 })),
  v4In(0),
  fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
);

describe('refusedRange', () => {
  it('refuses any loopback, private, link-local, CGNAT, unspecified, multicast or reserved IPv4 address in any textual form', () => {
    fc.assert(
      fc.property(insideRanges, (octets) => {
        for (const form of forms(octets)) {
          // "::0.0.0.x" is IPv6's own unspecified/loopback: refused as such, which is just as good.
          expect([form, refusedRange(form)]).toEqual([form, expect.any(String)]);
        }
      }),
    );
  });

  it('lets public IPv4 addresses through, also as IPv4-mapped IPv6', () => {
    const publicV4 = fc
      .tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet)
      .filter(
        ([a, b]) =>
          ![0, 10, 127].includes(a) &&
          !(a === 100 && b >= 64 && b <= 127) &&
          !(a === 169 && b === 254) &&
          !(a === 172 && b >= 16 && b <= 31) &&
          !(a === 192 && (b === 168 || b === 0 || b === 88 || b === 175 || b === 31 || b === 52)) &&
          !(a === 198 && (b === 18 || b === 19 || b === 51)) &&
          !(a === 203 && b === 0),
      );
    fc.assert(
      fc.property(publicV4, (octets) => {
        expect(refusedRange(dotted(octets))).toBeNull();
        expect(refusedRange(`::ffff:${dotted(octets)}`)).toBeNull();
      }),
    );
  });

  it('names the range it refuses', () => {
    expect(refusedRange('127.0.0.1')).toBe('loopback');
    expect(refusedRange('10.1.2.3')).toBe('private network (RFC 1918)');
    expect(refusedRange('169.254.169.254')).toBe('link-local');
    expect(refusedRange('100.100.100.200')).toBe('carrier-grade NAT (100.64.0.0/10)');
    expect(refusedRange('255.255.255.255')).toBe('broadcast');
    expect(refusedRange('0.0.0.0')).toBe('unspecified');
    expect(refusedRange('::ffff:127.0.0.1')).toBe('loopback, as IPv4 inside IPv6');
    expect(refusedRange('::127.0.0.1')).toBe('loopback, as IPv4 inside IPv6');
    expect(refusedRange('::1')).toBe('loopback');
    expect(refusedRange('::')).toBe('unspecified');
    expect(refusedRange('nonsense')).toBe('not an IP address');
  });

  it('refuses the IPv6 ranges that are not the public internet, NAT64 included', () => {
    for (const address of [
      '64:ff9b::7f00:1',
      '64:ff9b::808:808',
      '64:ff9b:1::a00:1',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'fe80::1%eth0',
      'ff02::1',
      'fec0::1',
      '2001:db8::1',
      '2002:7f00:1::1',
      '2001:0:4136:e378::1',
      '100::1',
      '::ffff:0:7f00:1',
      '4000::1',
    ]) {
      expect([address, refusedRange(address)]).toEqual([address, expect.any(String)]);
    }
    expect(refusedRange('64:ff9b::7f00:1')).toMatch(/NAT64/);
    fc.assert(
      fc.property(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 7, maxLength: 7 }), (first, rest) => {
        expect(refusedRange([first, ...rest].map((p) => p.toString(16)).join(':'))).toBe('unique-local (fc00::/7)');
      }),
    );
  });

  it('lets global unicast IPv6 through', () => {
    for (const address of ['2a00:1450:4001:82b::200e', '2606:4700:4700::1111', '2404:6800:4006:80a::200e']) expect(refusedRange(address)).toBeNull();
  });
});

describe('host names and literals', () => {
  it('treats only what Node connects to without a lookup as a literal', () => {
    expect(ipLiteralOf('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteralOf('[::ffff:7f00:1]')).toBe('::ffff:7f00:1');
    expect(ipLiteralOf('[64:ff9b::7f00:1]')).toBe('64:ff9b::7f00:1');
    expect(ipLiteralOf('127.0.0.1.nip.io')).toBeNull();
    expect(ipLiteralOf('2130706433')).toBeNull(); // resolved by the system, then checked as 127.0.0.1
  });

  it('knows the names that always point inside', () => {
    for (const name of ['localhost', 'LOCALHOST.', 'api.localhost', 'printer.local', 'db.internal', 'nas.home.arpa']) expect([name, isInternalHostName(name)]).toEqual([name, true]);
    for (const name of ['example.com', 'localhost.example.com', 'internal.example.com']) expect([name, isInternalHostName(name)]).toEqual([name, false]);
  });
});
