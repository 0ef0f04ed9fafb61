/** What the widget says, in Arabic (the default, right to left) and English. */
export interface Texts {
  dir: 'rtl' | 'ltr';
  locale: string;
  open: string;
  close: string;
  online: string;
  replyBy: (when: string) => string;
  leaveAMessage: string;
  offline: (when: string | null) => string;
  name: string;
  email: string;
  phone: string;
  optional: string;
  placeholder: string;
  send: string;
  typing: string;
  you: string;
  failed: string;
  seen: string;
}

export const TEXTS: Record<'ar' | 'en', Texts> = {
  ar: {
    dir: 'rtl',
    // Gregorian calendar and Latin digits: what Saudi shoppers read on order pages.
    locale: 'ar-u-ca-gregory-nu-latn',
    open: 'تحدث معنا',
    close: 'إغلاق المحادثة',
    online: 'متصلون الآن',
    replyBy: (when) => `نرد عادةً قبل ${when}`,
    leaveAMessage: 'اترك رسالة',
    offline: (when) => `لا يوجد موظف متاح الآن. اترك رسالتك ${when ? `وسنرد عليك قبل ${when}` : 'وسنرد عليك في أقرب وقت'}.`,
    name: 'الاسم',
    email: 'البريد الإلكتروني',
    phone: 'رقم الجوال أو واتساب',
    optional: '(اختياري)',
    placeholder: 'اكتب رسالتك…',
    send: 'إرسال',
    typing: 'يكتب…',
    you: 'أنت',
    failed: 'تعذر الإرسال، حاول مرة أخرى.',
    seen: 'تمت القراءة',
  },
  en: {
    dir: 'ltr',
    locale: 'en',
    open: 'Chat with us',
    close: 'Close the chat',
    online: 'We are online',
    replyBy: (when) => `We usually reply by ${when}`,
    leaveAMessage: 'Leave a message',
    offline: (when) => `No one is available right now. Leave a message and we will reply ${when ? `by ${when}` : 'as soon as we can'}.`,
    name: 'Name',
    email: 'Email',
    phone: 'Phone or WhatsApp',
    optional: '(optional)',
    placeholder: 'Write your message…',
    send: 'Send',
    typing: 'typing…',
    you: 'You',
    failed: 'Could not send; please try again.',
    seen: 'Seen',
  },
};

/** English when the attribute or the page says so; Arabic otherwise. */
export function pickLanguage(attribute: string | undefined, pageLang: string): 'ar' | 'en' {
  const wanted = (attribute || pageLang || 'ar').toLowerCase();
  return wanted.startsWith('en') ? 'en' : 'ar';
}

/** A reply time as a shopper reads it: "11:45 م" today, "الأحد 09:15" this week, with the date beyond. */
export function formatWhen(iso: string, texts: Texts): string {
  const at = new Date(iso);
  const now = new Date();
  const time: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  const today = at.toDateString() === now.toDateString();
  const withinWeek = at.getTime() - now.getTime() < 6 * 86_400_000;
  const options: Intl.DateTimeFormatOptions = today ? time : withinWeek ? { weekday: 'long', ...time } : { weekday: 'long', day: 'numeric', month: 'long', ...time };
  return new Intl.DateTimeFormat(texts.locale, options).format(at);
}
