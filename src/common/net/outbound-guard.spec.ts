import dns from 'dns';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { AppConfig } from '../config/app-config';
import { OutboundGuard, OutboundTargetRefused } from './outbound-guard';
import { OutboundHttp } from './outbound-http';

const guardWith = (allowPrivate: boolean) => new OutboundGuard(Object.assign(new AppConfig(), { ALLOW_PRIVATE_NETWORK_TARGETS: allowPrivate }));

describe('OutboundGuard', () => {
  let server: Server;
  let port: number;
  let requests: number;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal admin page: secret=hunter2');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    requests = 0;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('refuses, when configured, literal inside addresses and names that resolve inside', async () => {
    const guard = guardWith(false);
    const resolved: Record<string, string[]> = { 'inside.example': ['127.0.0.1'], 'mixed.example': ['93.184.216.34', '10.0.0.7'], 'public.example': ['93.184.216.34', '2606:2800:220:1::1'] };
    const realLookup = dns.promises.lookup;
    jest.spyOn(dns.promises, 'lookup').mockImplementation((async (hostname: string, options: dns.LookupAllOptions) => {
      const addresses = resolved[hostname];
      return addresses ? addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })) : realLookup(hostname, options);
    }) as typeof dns.promises.lookup);
    for (const host of [
      '127.0.0.1',
      '[::1]',
      '::1',
      '169.254.169.254',
      '10.0.0.8',
      '[::ffff:127.0.0.1]',
      '[64:ff9b::7f00:1]',
      '[::127.0.0.1]',
      'localhost',
      'metadata.google.internal',
      'inside.example',
      'mixed.example',
      '2130706433',
      '0x7f.1',
    ]) {
      await expect(guard.checkHost(host)).rejects.toBeInstanceOf(OutboundTargetRefused);
    }
    await expect(guard.checkHost('inside.example')).rejects.toThrow('Refused to connect to inside.example: resolves to 127.0.0.1, not on the public internet (loopback)');
    await expect(guard.checkHost('mixed.example')).rejects.toThrow('Refused to connect to mixed.example: resolves to 10.0.0.7, not on the public internet (private network (RFC 1918))');
    await expect(guard.checkHost('public.example')).resolves.toBeUndefined();
    await expect(guard.checkHost('[::ffff:127.0.0.1]')).rejects.toThrow('Refused to connect to [::ffff:127.0.0.1]: not on the public internet (loopback, as IPv4 inside IPv6)');
    await expect(guard.checkHost('8.8.8.8')).resolves.toBeUndefined();
    await expect(guard.checkHost('[2606:4700:4700::1111]')).resolves.toBeUndefined();
    await expect(guard.checkHost('no-such-host.invalid')).resolves.toBeUndefined(); // checked again on every connection
  });

  it('lets everything through when private targets are allowed', async () => {
    await expect(guardWith(true).checkHost('127.0.0.1')).resolves.toBeUndefined();
    expect(guardWith(true).connectOptions('localhost')).toEqual({ host: 'localhost' });
  });

  it('checks the address actually connected to: a name that was public when configured and resolves inside later is refused', async () => {
    const http = new OutboundHttp(guardWith(false));
    const realLookup = dns.lookup;
    let answer = '93.184.216.34';
    jest.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
      if (hostname !== 'rebinding.example') return (realLookup as Function)(hostname, options, callback);
      const addresses = [{ address: answer, family: 4 }];
      return options.all ? callback(null, addresses) : callback(null, answer, 4);
    }) as typeof dns.lookup);
    answer = '127.0.0.1';
    await expect(http.request(`http://rebinding.example:${port}/`, { timeoutMs: 2000, maxBytes: 1000 })).rejects.toThrow('Refused to connect to rebinding.example: resolves to 127.0.0.1');
    expect(requests).toBe(0);
  });

  it('never sends a request to an inside URL, in whatever form it is written', async () => {
    const http = new OutboundHttp(guardWith(false));
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://2130706433:${port}/`,
      `http://127.1:${port}/`,
    ]) {
      await expect(http.request(url, { timeoutMs: 2000, maxBytes: 1000 })).rejects.toBeInstanceOf(OutboundTargetRefused);
    }
    expect(requests).toBe(0);
    await expect(guardWith(false).openSocket('localhost', port, 2000)).rejects.toBeInstanceOf(OutboundTargetRefused);
  });

  it('follows redirects only through the same check', async () => {
    const redirecting = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/` }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      // Allowed here, so the first hop (also local) goes out; the guard is asked again for the second.
      const allowed = new OutboundHttp(guardWith(true));
      const hop = await allowed.request(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, { timeoutMs: 2000, maxBytes: 1000, followRedirects: 2 });
      expect([hop.status, hop.body?.toString()]).toEqual([500, 'internal admin page: secret=hunter2']);
      // The first hop let through (as for a public receiver): the redirect to the inside is still refused.
      const guard = guardWith(false);
      const checked = jest.spyOn(guard, 'connectOptions').mockImplementationOnce((host) => ({ host }));
      requests = 0;
      await expect(new OutboundHttp(guard).request(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, { timeoutMs: 2000, maxBytes: 1000, followRedirects: 2 })).rejects.toThrow(
        `Refused to connect to 127.0.0.1: not on the public internet (loopback)`,
      );
      expect(checked).toHaveBeenCalledTimes(2);
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('stops reading a body larger than asked for', async () => {
    const http = new OutboundHttp(guardWith(true));
    const answer = await http.request(`http://127.0.0.1:${port}/`, { timeoutMs: 2000, maxBytes: 5 });
    expect(answer).toMatchObject({ status: 500, body: null });
    expect((await http.request(`http://127.0.0.1:${port}/`, { timeoutMs: 2000, maxBytes: 0 })).body).toBeNull();
  });
});
