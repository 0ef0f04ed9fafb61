import { Injectable } from '@nestjs/common';
import dns, { LookupAddress, LookupOptions } from 'dns';
import net, { LookupFunction } from 'net';
import { AppConfig } from '../config/app-config';
import { ipLiteralOf, isInternalHostName, refusedRange } from './address-ranges';

/** A connection to a host that is, or resolves to, an address outside the public internet was refused. */
export class OutboundTargetRefused extends Error {
  readonly code = 'ERR_OUTBOUND_TARGET_REFUSED';

  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`Refused to connect to ${host}: ${reason}`);
    this.name = 'OutboundTargetRefused';
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The one door for connections to hosts that come from outside (webhook URLs, mailbox servers,
 * media links in platform webhooks): unless ALLOW_PRIVATE_NETWORK_TARGETS is on, a host that is or
 * resolves to a loopback, private, link-local, CGNAT, NAT64 … address is refused. The check runs on
 * the addresses the socket is about to use (a `lookup` handed to net/tls/http), so a name that
 * resolves differently between a check and the connection (DNS rebinding) gains nothing.
 */
@Injectable()
export class OutboundGuard {
  readonly allowsPrivateTargets: boolean;

  constructor(config: AppConfig) {
    this.allowsPrivateTargets = config.ALLOW_PRIVATE_NETWORK_TARGETS ?? config.NODE_ENV !== 'production';
  }

  /**
   * When a host is configured: throws OutboundTargetRefused for a literal non-public address or a
   * name resolving to one. A name that does not resolve now passes (its server may not be set up
   * yet); every connection checks again.
   */
  async checkHost(host: string): Promise<void> {
    if (this.allowsPrivateTargets) return;
    const literal = ipLiteralOf(host);
    if (literal) return this.refuseAddresses(host, [literal]);
    if (isInternalHostName(host)) throw internalName(host);
    let addresses: LookupAddress[];
    try {
      addresses = await dns.promises.lookup(host, { all: true });
    } catch {
      return;
    }
    this.refuseAddresses(
      host,
      addresses.map((a) => a.address),
    );
  }

  /**
   * Options for net.connect / tls.connect / http.request to `host`. Node connects to a literal
   * address without any lookup, so a literal is judged now (throwing OutboundTargetRefused); a name
   * gets the checking lookup.
   */
  connectOptions(host: string): { host: string; lookup?: LookupFunction } {
    if (this.allowsPrivateTargets) return { host };
    const literal = ipLiteralOf(host);
    if (literal) {
      this.refuseAddresses(host, [literal]);
      return { host: literal };
    }
    return { host, lookup: this.lookup };
  }

  /** A connected TCP socket to host:port, for clients that take one ready-made (SMTP). */
  openSocket(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, ...this.connectOptions(host) });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`Connection to ${host}:${port} timed out`)));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeListener('error', reject);
        resolve(socket);
      });
    });
  }

  /** A dns.lookup that fails with OutboundTargetRefused when any address of the name is not public. */
  private readonly lookup: LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    if (isInternalHostName(hostname)) return process.nextTick(callback, internalName(hostname), '', 0);
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      try {
        this.refuseAddresses(
          hostname,
          addresses.map((a) => a.address),
        );
      } catch (refused) {
        return callback(refused as OutboundTargetRefused, '', 0);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };

  /** A name with one inside address among public ones is refused whole: we never pick for the resolver. */
  private refuseAddresses(host: string, addresses: string[]): void {
    for (const address of addresses) {
      const range = refusedRange(address);
      if (!range) continue;
      const literal = ipLiteralOf(host) !== null;
      throw new OutboundTargetRefused(host, literal ? `not on the public internet (${range})` : `resolves to ${address}, not on the public internet (${range})`);
    }
  }
}

const internalName = (host: string) => new OutboundTargetRefused(host, 'a name for this machine or a local network');
