/**
 * Mail that no person wrote: auto-replies, bounces, bulk and list mail. It must never open a
 * ticket or be answered automatically, or two auto-responders can mail each other forever.
 * Signals: RFC 3834 Auto-Submitted, the X-Autoreply family, Precedence, list headers, a null
 * return path (RFC 5321 bounces), delivery reports and the daemon senders.
 */
export interface MailHeaders {
  /** Header names in lower case; values as text. */
  get(name: string): string | undefined;
}

const DAEMONS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+@]|$)/i;

export function automatedMailReason(headers: MailHeaders, from: string | undefined): string | null {
  const autoSubmitted = headers.get('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-response']) {
    if (headers.get(name) !== undefined) return name;
  }
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (headers.get('list-id') !== undefined || headers.get('list-unsubscribe') !== undefined) return 'mailing list';
  if (headers.get('x-failed-recipients') !== undefined) return 'bounce (X-Failed-Recipients)';
  const returnPath = headers.get('return-path')?.trim();
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) return 'null return path';
  const contentType = headers.get('content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report')) return 'delivery or read report';
  if (from && DAEMONS.test(from.trim())) return `sender ${from}`;
  return null;
}
