import { Channel } from '../../tickets/ticket-enums';
import { surveyChannel, surveySkipReason } from './survey-channel';

const reach = (over: Partial<{ phone: boolean; email: boolean; whatsappConnected: boolean; mailboxConnected: boolean }> = {}) => ({
  phone: false,
  email: false,
  whatsappConnected: false,
  mailboxConnected: false,
  ...over,
});

describe('the survey message after a solve', () => {
  it('goes back on the conversation channel when it can carry it', () => {
    expect(surveyChannel(Channel.CHAT, reach())).toBe(Channel.CHAT);
    expect(surveyChannel(Channel.INSTAGRAM, reach())).toBe(Channel.INSTAGRAM);
    expect(surveyChannel(Channel.WHATSAPP, reach({ phone: true, whatsappConnected: true, email: true, mailboxConnected: true }))).toBe(Channel.WHATSAPP);
    expect(surveyChannel(Channel.EMAIL, reach({ phone: true, whatsappConnected: true, email: true, mailboxConnected: true }))).toBe(Channel.EMAIL);
  });

  it('falls back to WhatsApp, then email, for phone, web form and API tickets; never in public; null when nothing reaches', () => {
    expect(surveyChannel(Channel.PHONE, reach({ phone: true, whatsappConnected: true }))).toBe(Channel.WHATSAPP);
    expect(surveyChannel(Channel.API, reach({ email: true, mailboxConnected: true }))).toBe(Channel.EMAIL);
    expect(surveyChannel(Channel.COMMENT, reach({ email: true, mailboxConnected: true }))).toBe(Channel.EMAIL);
    expect(surveyChannel(Channel.COMMENT, reach())).toBeNull();
    expect(surveyChannel(Channel.EMAIL, reach({ email: true }))).toBeNull();
  });

  it('skips merged, spam and self-served tickets', () => {
    expect(surveySkipReason({ tags: [], mergedIntoId: null })).toBeNull();
    expect(surveySkipReason({ tags: [], mergedIntoId: 'x' })).toBe('merged');
    expect(surveySkipReason({ tags: ['spam'], mergedIntoId: null })).toBe('tagged spam');
    expect(surveySkipReason({ tags: ['faq', 'self-served'], mergedIntoId: null })).toBe('tagged self-served');
  });
});
