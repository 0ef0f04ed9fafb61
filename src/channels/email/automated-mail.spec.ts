import { automatedMailReason } from './automated-mail';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name] });

describe('automatedMailReason', () => {
  it('lets a person’s mail through', () => {
    expect(automatedMailReason(headers({ 'auto-submitted': 'no', 'return-path': '<sara@example.sa>' }), 'sara@example.sa')).toBeNull();
    expect(automatedMailReason(headers({}), 'noreply-lover@example.sa')).toBeNull();
  });

  it.each([
    [{ 'auto-submitted': 'auto-replied' }, 'Auto-Submitted: auto-replied'],
    [{ 'auto-submitted': 'Auto-Generated' }, 'Auto-Submitted: auto-generated'],
    [{ 'x-autoreply': 'yes' }, 'x-autoreply'],
    [{ 'x-autorespond': '' }, 'x-autorespond'],
    [{ precedence: 'bulk' }, 'Precedence: bulk'],
    [{ precedence: 'JUNK' }, 'Precedence: junk'],
    [{ 'list-id': '<news.example.sa>' }, 'mailing list'],
    [{ 'return-path': '<>' }, 'null return path'],
    [{ 'x-failed-recipients': 'x@example.sa' }, 'bounce (X-Failed-Recipients)'],
    [{ 'content-type': 'multipart/report; report-type=delivery-status' }, 'delivery or read report'],
  ])('stops %j', (h, reason) => {
    expect(automatedMailReason(headers(h), 'someone@example.sa')).toBe(reason);
  });

  it('stops daemon senders', () => {
    expect(automatedMailReason(headers({}), 'MAILER-DAEMON@mx.example.sa')).toBe('sender MAILER-DAEMON@mx.example.sa');
    expect(automatedMailReason(headers({}), 'no-reply@shop.example')).toBe('sender no-reply@shop.example');
  });
});
