import { ImapFlow } from 'imapflow';
import { ConnectionSecurity, Mailbox } from './entities/mailbox.entity';

/** An IMAP connection to a mailbox, as both polling and IDLE watching open it. */
export function imapClientFor(mailbox: Mailbox, password: string): ImapFlow {
  return new ImapFlow({
    host: mailbox.imapHost,
    port: mailbox.imapPort,
    secure: mailbox.imapSecurity === ConnectionSecurity.TLS,
    doSTARTTLS: mailbox.imapSecurity === ConnectionSecurity.STARTTLS ? true : mailbox.imapSecurity === ConnectionSecurity.NONE ? false : undefined,
    auth: { user: mailbox.imapUser, pass: password },
    logger: false,
    connectionTimeout: 15_000,
  });
}
