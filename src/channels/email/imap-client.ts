import { ImapFlow } from 'imapflow';
import type { OutboundGuard } from '../../common/net/outbound-guard';
import { ConnectionSecurity, MailAuthMethod, Mailbox } from './entities/mailbox.entity';
import type { MailLogin } from './mailboxes.service';

/**
 * An IMAP connection to a mailbox, as both polling and IDLE watching open it. The host is the
 * store's input, so it goes through the outbound guard: a literal inside address throws
 * OutboundTargetRefused here, a name is checked as the socket resolves it.
 */
export function imapClientFor(mailbox: Mailbox, login: MailLogin, guard: OutboundGuard): ImapFlow {
  const { host, lookup } = guard.connectOptions(mailbox.imapHost);
  return new ImapFlow({
    host,
    port: mailbox.imapPort,
    secure: mailbox.imapSecurity === ConnectionSecurity.TLS,
    doSTARTTLS: mailbox.imapSecurity === ConnectionSecurity.STARTTLS ? true : mailbox.imapSecurity === ConnectionSecurity.NONE ? false : undefined,
    // imapflow logs in with XOAUTH2/OAUTHBEARER when given an accessToken.
    auth: { user: mailbox.imapUser, ...login },
    // imapflow hands these options to net.connect / tls.connect, where the lookup applies.
    tls: lookup ? { lookup } : undefined,
    logger: false,
    connectionTimeout: 15_000,
  });
}

/** What the mailbox shows as its last error: a refused login says which user and which kind of secret, so the admin knows what to renew. */
export function imapErrorText(error: unknown, mailbox: Mailbox): string {
  const failure = error as { message?: string; authenticationFailed?: boolean; responseText?: string };
  if (failure.authenticationFailed) {
    const secret = mailbox.imapAuthMethod === MailAuthMethod.OAUTH2 ? 'OAuth2 access token (expired or revoked?)' : 'password';
    return `IMAP login refused for ${mailbox.imapUser} with its ${secret}: ${failure.responseText ?? failure.message ?? 'authentication failed'}`;
  }
  return error instanceof Error ? error.message : String(error);
}
