import { html } from '../common/text/html';
import { renderNotice, renderSurveyForm, textColourOn } from './survey-page';

describe('survey page rendering', () => {
  it('escapes every interpolated value and keeps nested markup', () => {
    const name = `"><img src=x onerror=alert(1)>`;
    expect(html`<p title="${name}">${name}</p>`.value).toBe('<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>');
    const items = ['a<', 'b'].map((x) => html`<li>${x}</li>`);
    const list = html`<ul>
      ${items}
    </ul>`.value.replace(/\s+/g, '');
    expect(list).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
  });

  it('picks the text colour that reads on the store accent', () => {
    expect(textColourOn('#0f766e')).toBe('#ffffff');
    expect(textColourOn('#7c3aed')).toBe('#ffffff');
    expect(textColourOn('#fde047')).toBe('#000000');
    expect(textColourOn('#ffffff')).toBe('#000000');
  });

  it('Arabic pages are right to left, English ones left to right; a bad accent falls back to the default', () => {
    const look = { storeName: 'متجر </style><script>', logoUrl: null, accentColor: 'red;}body{display:none' };
    const page = renderSurveyForm({ token: 'a.b', language: 'ar', look, ticketNumber: 7, subject: 's', preselected: null, problem: null });
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('--accent:#0f766e');
    expect(page).not.toContain('</style><script>');
    expect(renderNotice('UNKNOWN', 'en', null)).toContain('<html lang="en" dir="ltr">');
  });
});
