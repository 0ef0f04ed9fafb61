import { replySubject, stripQuotedReply, ticketNumberInSubject } from './email-text';

describe('stripQuotedReply', () => {
  it('keeps what the customer just wrote above Gmail’s quote', () => {
    const text = 'شكراً، وصل الطلب.\n\nOn Mon, 24 Nov 2026 at 10:00, دعم متجر الورد <support@alward.sa> wrote:\n> متى يصل طلبك؟\n> مرحباً';
    expect(stripQuotedReply(text)).toBe('شكراً، وصل الطلب.');
  });

  it('cuts Arabic clients’ and Outlook’s quote headers', () => {
    expect(stripQuotedReply('تمام\nفي ٢٤ نوفمبر ٢٠٢٦، كتب فريق الدعم:\n> نص قديم')).toBe('تمام');
    expect(stripQuotedReply('Fine thanks\n\nFrom: Support <s@x.sa>\nSent: Monday\nTo: me\n\nold text')).toBe('Fine thanks');
    expect(stripQuotedReply('أهلاً\n-----Original Message-----\nold')).toBe('أهلاً');
  });

  it('keeps a "From:" line that is part of the message, and everything when nothing is new', () => {
    expect(stripQuotedReply('From: Riyadh branch\nthe parcel is missing')).toBe('From: Riyadh branch\nthe parcel is missing');
    expect(stripQuotedReply('> only quoted')).toBe('> only quoted');
  });
});

describe('subjects', () => {
  it('finds the ticket token', () => {
    expect(ticketNumberInSubject('Re: تأخر الشحن [#1042]')).toBe(1042);
    expect(ticketNumberInSubject('طلب رقم 1042')).toBeNull();
    expect(ticketNumberInSubject(undefined)).toBeNull();
  });

  it('adds Re: and the token once', () => {
    expect(replySubject('تأخر الشحن', 1042)).toBe('Re: تأخر الشحن [#1042]');
    expect(replySubject('Re: تأخر الشحن [#1042]', 1042)).toBe('Re: تأخر الشحن [#1042]');
    expect(replySubject('رد: استرجاع', 7)).toBe('رد: استرجاع [#7]');
  });
});
