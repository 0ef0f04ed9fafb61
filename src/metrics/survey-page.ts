import { html, SafeHtml } from '../common/text/html';

/**
 * The customer's survey page, rendered on the server: plain HTML forms that work with JavaScript
 * off, Arabic right to left by default, English for English conversations, no request to anyone
 * but this server (and the store's own logo, when it set one). Pure: facts in, HTML out.
 */

export type SurveyLanguage = 'ar' | 'en';

/** How the store dresses its page (store settings). */
export interface SurveyLook {
  storeName: string;
  logoUrl: string | null;
  accentColor: string | null;
}

const DEFAULT_ACCENT = '#0f766e';

const TEXT = {
  ar: {
    title: 'قيّم تجربتك',
    question: 'كيف كانت خدمتنا في طلبك؟',
    ticket: (n: number) => `الطلب رقم ${n}`,
    tapHint: 'اختر تقييمك بلمسة واحدة — يُرسَل فوراً.',
    preselected: (r: number) => `اخترت ${r} من 5. اضغط على الزر لتأكيد تقييمك.`,
    ratings: ['سيئ جداً', 'سيئ', 'مقبول', 'جيد', 'ممتاز'],
    outOf: (r: number) => `${r} من 5`,
    thanks: 'شكراً لك!',
    recorded: (r: number, label: string) => `وصلنا تقييمك: ${r} من 5 (${label}).`,
    moreTitle: 'هل تود إضافة المزيد؟ (اختياري)',
    npsQuestion: 'ما مدى احتمال أن توصي بنا لصديق؟',
    npsScale: '0 = غير محتمل إطلاقاً، 10 = محتمل جداً',
    comment: 'تعليقك',
    send: 'إرسال',
    detailsSaved: 'شكراً، وصلتنا ملاحظاتك.',
    answered: 'شكراً، وصلنا تقييمك من قبل.',
    answeredMore: 'لا يمكن تغيير التقييم بعد إرساله. إن احتجت أي مساعدة فردّ على رسالتنا.',
    expired: 'انتهت مدة هذا الاستبيان.',
    expiredMore: 'الاستبيان متاح لمدة 7 أيام بعد إغلاق الطلب. شكراً لاهتمامك، وإن احتجت أي مساعدة فردّ على رسالتنا.',
    unknown: 'لم نجد هذا الاستبيان.',
    unknownMore: 'ربما نُسخ الرابط ناقصاً. افتح الرابط من رسالتنا كما هو.',
    tooMany: 'طلبات كثيرة في وقت قصير.',
    tooManyMore: 'انتظر دقيقة ثم حاول مرة أخرى.',
    badRating: 'اختر تقييماً من 1 إلى 5.',
    badDetails: 'التقييم من 0 إلى 10، والتعليق 2000 حرف على الأكثر.',
    other: { lang: 'en', dir: 'ltr', label: 'English' },
  },
  en: {
    title: 'Rate your experience',
    question: 'How did we do with your request?',
    ticket: (n: number) => `Request #${n}`,
    tapHint: 'Choose your rating with one tap — it is sent at once.',
    preselected: (r: number) => `You chose ${r} out of 5. Tap the button to confirm your rating.`,
    ratings: ['Very poor', 'Poor', 'OK', 'Good', 'Excellent'],
    outOf: (r: number) => `${r} out of 5`,
    thanks: 'Thank you!',
    recorded: (r: number, label: string) => `We received your rating: ${r} out of 5 (${label}).`,
    moreTitle: 'Anything to add? (optional)',
    npsQuestion: 'How likely are you to recommend us to a friend?',
    npsScale: '0 = not at all likely, 10 = extremely likely',
    comment: 'Your comment',
    send: 'Send',
    detailsSaved: 'Thank you, we received your feedback.',
    answered: 'Thank you, you have already rated us.',
    answeredMore: 'A rating cannot be changed once sent. If you need any help, reply to our message.',
    expired: 'This survey has closed.',
    expiredMore: 'Surveys stay open for 7 days after a request is solved. Thank you, and if you need any help, reply to our message.',
    unknown: 'We could not find this survey.',
    unknownMore: 'The link may have been cut short. Open it from our message as it is.',
    tooMany: 'Too many requests in a short time.',
    tooManyMore: 'Wait a minute and try again.',
    badRating: 'Choose a rating from 1 to 5.',
    badDetails: 'The score is 0 to 10 and the comment at most 2,000 characters.',
    other: { lang: 'ar', dir: 'rtl', label: 'العربية' },
  },
} as const;

/** Black or white, whichever reads better on the accent (WCAG relative luminance). */
export function textColourOn(hex: string): '#000000' | '#ffffff' {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** #abc → #aabbcc; anything that is not a hex colour → the default (settings validate it already). */
function accentOf(look: SurveyLook | null): string {
  const given = look?.accentColor ?? '';
  if (/^#[0-9a-fA-F]{6}$/.test(given)) return given.toLowerCase();
  if (/^#[0-9a-fA-F]{3}$/.test(given)) return `#${[...given.slice(1)].map((c) => c + c).join('')}`.toLowerCase();
  return DEFAULT_ACCENT;
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Tahoma,"Noto Sans Arabic","Noto Naskh Arabic",Arial,sans-serif;background:#f3f4f6;color:#1f2937;line-height:1.6;font-size:1.0625rem}
main{max-width:40rem;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:14px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.1);border-top:6px solid var(--accent)}
.store{display:flex;align-items:center;gap:.75rem;margin:0 0 1rem}
.store img{max-height:48px;max-width:140px;object-fit:contain}
.store span{font-weight:700;font-size:1.125rem;overflow-wrap:anywhere}
h1{font-size:1.5rem;line-height:1.3;margin:0 0 .5rem}
.ticket{margin:0 0 1rem;color:#374151;overflow-wrap:anywhere}
.ticket b{color:#111827}
.hint{margin:0 0 .75rem;color:#374151}
fieldset{border:0;margin:0 0 1.25rem;padding:0;min-width:0}
legend{font-weight:700;margin:0 0 .5rem;padding:0}
.ratings{display:grid;gap:.5rem;grid-template-columns:1fr}
.rating{display:flex;align-items:center;gap:.75rem;width:100%;min-height:56px;padding:.5rem 1rem;border:2px solid var(--accent);border-radius:12px;background:#fff;color:#111827;font:inherit;font-weight:600;cursor:pointer;text-align:start}
.rating .n{display:inline-flex;align-items:center;justify-content:center;flex:none;width:2.25rem;height:2.25rem;border-radius:50%;background:var(--accent);color:var(--on-accent);font-size:1.125rem}
.rating:hover,.rating.chosen{background:var(--accent);color:var(--on-accent)}
.rating.chosen .n,.rating:hover .n{background:var(--on-accent);color:var(--accent)}
.rating:focus-visible,.send:focus-visible,a:focus-visible,textarea:focus-visible,.nps input:focus-visible+span{outline:3px solid #1d4ed8;outline-offset:2px}
.nps{display:grid;grid-template-columns:repeat(6,1fr);gap:.375rem}
.nps label{position:relative}
.nps input{position:absolute;opacity:0;inset:0;width:100%;height:100%;margin:0;cursor:pointer}
.nps span{display:flex;align-items:center;justify-content:center;min-height:44px;border:1px solid #6b7280;border-radius:8px;font-weight:600}
.nps input:checked+span{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.scale{font-size:.9375rem;color:#374151;margin:.375rem 0 0}
label.comment{display:block;font-weight:700;margin:0 0 .375rem}
textarea{width:100%;min-height:6rem;padding:.625rem;border:1px solid #6b7280;border-radius:8px;font:inherit}
.send{min-height:48px;padding:.5rem 1.5rem;border:0;border-radius:12px;background:var(--accent);color:var(--on-accent);font:inherit;font-weight:700;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.notice{margin:0 0 1rem;padding:.75rem 1rem;border-radius:10px;background:#fef3c7;color:#78350f}
.done{margin:0 0 1rem;padding:.75rem 1rem;border-radius:10px;background:#dcfce7;color:#14532d}
footer{margin:1rem 0 0;text-align:center}
footer a{color:#1f2937}
@media (min-width:40rem){main{padding:2rem 1rem}.card{padding:2rem}.ratings{grid-template-columns:repeat(5,1fr)}.rating{flex-direction:column;justify-content:center;text-align:center;min-height:96px;gap:.375rem}.nps{grid-template-columns:repeat(11,1fr)}}
`;

function page(language: SurveyLanguage, look: SurveyLook | null, title: string, body: SafeHtml, otherLanguageHref: string | null): string {
  const t = TEXT[language];
  const accent = accentOf(look);
  const dir = language === 'ar' ? 'rtl' : 'ltr';
  const document = html`<!doctype html>
    <html lang="${language}" dir="${dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}${look ? ` — ${look.storeName}` : ''}</title>
        <style>
          :root{--accent:${accent};--on-accent:${textColourOn(accent)}}${STYLE}
        </style>
      </head>
      <body>
        <main>
          <div class="card">
            ${look ? html`<div class="store">${look.logoUrl ? html`<img src="${look.logoUrl}" alt="" referrerpolicy="no-referrer" />` : ''}<span>${look.storeName}</span></div>` : ''} ${body}
          </div>
          ${otherLanguageHref ? html`<footer><a href="${otherLanguageHref}" lang="${t.other.lang}" dir="${t.other.dir}" hreflang="${t.other.lang}">${t.other.label}</a></footer>` : ''}
        </main>
      </body>
    </html>`;
  return document.value;
}

export interface SurveyFormView {
  token: string;
  language: SurveyLanguage;
  look: SurveyLook;
  ticketNumber: number;
  subject: string;
  /** A link that carries a score (`?rating=5`, e.g. from a WhatsApp button) shows it chosen, still to be confirmed by a tap. */
  preselected: number | null;
  problem: string | null;
}

const action = (token: string, language: SurveyLanguage, path = '') => `/survey/${encodeURIComponent(token)}${path}?lang=${language}`;

/** The five rating buttons: each submits the form with its score, so one tap records it. */
export function renderSurveyForm(view: SurveyFormView): string {
  const t = TEXT[view.language];
  const body = html`<h1>${t.question}</h1>
    <p class="ticket"><b>${t.ticket(view.ticketNumber)}</b> — ${view.subject}</p>
    ${view.problem ? html`<p class="notice" role="alert">${view.problem}</p>` : ''}
    <form method="post" action="${action(view.token, view.language)}">
      <fieldset>
        <legend>${t.title}</legend>
        <p class="hint">${view.preselected ? t.preselected(view.preselected) : t.tapHint}</p>
        <div class="ratings">
          ${t.ratings.map(
            (label, i) =>
              html`<button type="submit" name="rating" value="${i + 1}" class="rating${view.preselected === i + 1 ? ' chosen' : ''}">
                <span class="n" aria-hidden="true">${i + 1}</span><span>${label}<span class="sr"> (${t.outOf(i + 1)})</span></span>
              </button> `,
          )}
        </div>
      </fieldset>
    </form>`;
  return page(view.language, view.look, t.title, body, `/survey/${encodeURIComponent(view.token)}?lang=${t.other.lang}`);
}

export interface SurveyThanksView {
  token: string;
  language: SurveyLanguage;
  look: SurveyLook;
  rating: number;
  /** The comment and 0–10 question can still be answered. */
  detailsOpen: boolean;
  detailsSaved: boolean;
  problem: string | null;
}

/** After the tap: thanks, and the optional comment and "would you recommend us" (0–10). */
export function renderThanks(view: SurveyThanksView): string {
  const t = TEXT[view.language];
  const rating = Math.min(5, Math.max(1, view.rating));
  const body = html`<h1>${t.thanks}</h1>
    <p class="done" role="status">${view.detailsSaved ? t.detailsSaved : t.recorded(rating, t.ratings[rating - 1])}</p>
    ${view.problem ? html`<p class="notice" role="alert">${view.problem}</p>` : ''}
    ${
      view.detailsOpen
        ? html`<form method="post" action="${action(view.token, view.language, '/details')}">
            <h2>${t.moreTitle}</h2>
            <fieldset>
              <legend>${t.npsQuestion}</legend>
              <div class="nps">${Array.from({ length: 11 }, (_, n) => html`<label><input type="radio" name="nps" value="${n}" /><span>${n}</span></label>`)}</div>
              <p class="scale">${t.npsScale}</p>
            </fieldset>
            <label class="comment" for="comment">${t.comment}</label>
            <textarea id="comment" name="comment" maxlength="2000" rows="4"></textarea>
            <p><button type="submit" class="send">${t.send}</button></p>
          </form>`
        : ''
    }`;
  return page(view.language, view.look, t.thanks, body, null);
}

export type SurveyNotice = 'ANSWERED' | 'EXPIRED' | 'UNKNOWN' | 'RATE_LIMITED';

/** Used, expired and unknown tokens (and too many requests): a friendly page in the same style. */
export function renderNotice(kind: SurveyNotice, language: SurveyLanguage, look: SurveyLook | null): string {
  const t = TEXT[language];
  const [title, more] = {
    ANSWERED: [t.answered, t.answeredMore],
    EXPIRED: [t.expired, t.expiredMore],
    UNKNOWN: [t.unknown, t.unknownMore],
    RATE_LIMITED: [t.tooMany, t.tooManyMore],
  }[kind];
  return page(
    language,
    look,
    title,
    html`<h1>${title}</h1>
      <p>${more}</p>`,
    null,
  );
}

export const SURVEY_PROBLEMS = {
  badRating: (language: SurveyLanguage) => TEXT[language].badRating,
  badDetails: (language: SurveyLanguage) => TEXT[language].badDetails,
};
