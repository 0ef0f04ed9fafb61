import { replySubject, stripQuotedReply, ticketNumberInSubject } from './email-text';

describe('stripQuotedReply', () => {
  it('keeps what the customer just wrote above Gmail’s quote', () => {
    const text = 'شكراً، وصل الطلب.\n\nOn Mon, 24 Nov 2026 at 10:00, دعم متجر الورد <support@alward.sa> wrote:\n> متى يصل طلبك؟\n> مرحباً';
    expect(stripQuotedReply(text)).toBe('شكراً، وصل الطلب.');
  });

  it('cuts a Gmail quote header its client wrapped onto two lines, and the rule Outlook draws above its header block', () => {
    expect(stripQuotedReply('شكراً\n\nOn Tue, 24 Nov 2026 at 10:00, دعم متجر الورد <support@alward.test>\nwrote:\n> أهلاً')).toBe('شكراً');
    // Outlook's HTML reply, as html-to-text renders it.
    const outlook =
      'تمام شكراً\n\n\n----------------------------------------\n\nFrom: دعم متجر الورد <support@alward.test>\nSent: Tuesday, November 24, 2026 10:00 AM\nTo: Sara\nSubject: Re: تأخر الشحن\nأهلاً سارة';
    expect(stripQuotedReply(outlook)).toBe('تمام شكراً');
    // A line that merely starts with "On" is the customer's own text.
    expect(stripQuotedReply('On Sunday I will be home\nwrote: nothing')).toBe('On Sunday I will be home\nwrote: nothing');
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
