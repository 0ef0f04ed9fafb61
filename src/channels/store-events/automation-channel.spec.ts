import { Channel } from '../../tickets/ticket-enums';
import { automationChannel, Reach } from './automation-channel';

const reach = (r: Partial<Reach>): Reach => ({ phone: false, email: false, whatsappConnected: false, mailboxConnected: false, ...r });

describe('automationChannel', () => {
  it('writes where the customer last wrote when a message can reach them there', () => {
    expect(automationChannel(Channel.EMAIL, reach({ email: true, mailboxConnected: true, phone: true, whatsappConnected: true }))).toBe(Channel.EMAIL);
    expect(automationChannel(Channel.WHATSAPP, reach({ phone: true, whatsappConnected: true }))).toBe(Channel.WHATSAPP);
    expect(automationChannel(Channel.INSTAGRAM, reach({}))).toBe(Channel.INSTAGRAM);
  });

  it('moves a phone call, chat, form or API conversation to WhatsApp, else email', () => {
    for (const latest of [Channel.PHONE, Channel.CHAT, Channel.WEB_FORM, Channel.API, null]) {
      expect(automationChannel(latest, reach({ phone: true, whatsappConnected: true, email: true, mailboxConnected: true }))).toBe(Channel.WHATSAPP);
      expect(automationChannel(latest, reach({ phone: true, email: true, mailboxConnected: true }))).toBe(Channel.EMAIL);
    }
    expect(automationChannel(Channel.EMAIL, reach({ email: true, phone: true, whatsappConnected: true }))).toBe(Channel.WHATSAPP); // no mailbox
  });

  it('records the message where it would have gone when nothing connected can reach the customer', () => {
    expect(automationChannel(Channel.PHONE, reach({ phone: true }))).toBe(Channel.PHONE);
    expect(automationChannel(null, reach({ phone: true, email: true }))).toBe(Channel.WHATSAPP);
    expect(automationChannel(null, reach({ email: true }))).toBe(Channel.EMAIL);
    expect(automationChannel(null, reach({}))).toBe(Channel.API);
  });
});
