import { readMetaWebhook } from './meta/meta-webhook';
import { readWhatsAppWebhook } from './whatsapp/whatsapp-webhook';
import { readXWebhook } from './x/x-webhook';
import { inboundShapeProblem, subjectFrom } from './inbound';

describe('platform webhook readers', () => {
  it('WhatsApp: names senders from contacts, keeps statuses apart, ignores other fields and unknown statuses', () => {
    const [{ accountId, batch }, ...others] = readWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            { field: 'account_update', value: {} },
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'سارة' }, wa_id: '966501234567' }],
                messages: [
                  { from: '966501234567', id: 'wamid.A', timestamp: '1764000000', type: 'text', text: { body: 'مرحبا' }, context: { from: '966112345678', id: 'wamid.OURS', forwarded: true } },
                ],
                statuses: [
                  { id: 'wamid.OURS', status: 'read', timestamp: '1764000001', recipient_id: '966501234567' },
                  { id: 'wamid.OURS', status: 'deleted', timestamp: '1764000002', recipient_id: '966501234567' },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(batch.messages).toEqual([
      {
        externalId: 'wamid.A',
        from: '966501234567',
        name: 'سارة',
        at: new Date(1764000000 * 1000),
        replyTo: 'wamid.OURS',
        body: 'مرحبا',
        content: { type: 'text', from: '966501234567', forwarded: true },
        media: [],
        reaction: undefined,
      },
    ]);
    expect(batch.receipts).toEqual([{ externalId: 'wamid.OURS', status: 'READ', at: new Date(1764000001 * 1000), error: undefined }]);
    expect([accountId, others]).toEqual(['106540352242922', []]);
  });

  it("WhatsApp: events are grouped by the business number they came to (metadata.phone_number_id), in Meta's order", () => {
    const change = (phoneNumberId: string, id: string) => ({
      field: 'messages',
      value: { metadata: { display_phone_number: 'x', phone_number_id: phoneNumberId }, messages: [{ from: '966501234567', id, timestamp: '1764000000', type: 'text', text: { body: id } }] },
    });
    const groups = readWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [
        { id: 'WABA', changes: [change('A', 'a1'), change('B', 'b1')] },
        { id: 'WABA', changes: [change('A', 'a2')] },
      ],
    });
    expect(groups.map((g) => [g.accountId, g.batch.messages.map((m) => m.externalId)])).toEqual([
      ['A', ['a1', 'a2']],
      ['B', ['b1']],
    ]);
  });

  it('WhatsApp: a text body or caption that is not a string is still read as text', () => {
    const message = (extra: object) => ({ from: '966501234567', id: 'm', timestamp: '1764000000', ...extra });
    const [{ batch }] = readWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'WABA',
          changes: [
            {
              field: 'messages',
              value: {
                metadata: { display_phone_number: 'x', phone_number_id: 'A' },
                messages: [
                  message({ type: 'text', text: { body: 4521 } }),
                  message({ type: 'text', text: { body: { nested: true } } }),
                  message({ type: 'image', image: { id: 'media-1', caption: 7 } }),
                ],
              },
            },
          ],
        },
      ],
    } as never);
    expect(batch.messages.map((m) => m.body)).toEqual(['4521', '', '7']);
  });

  it('Meta: skips our own echoes and comments, reads DMs, reactions, receipts and both comment shapes', () => {
    const [{ accountId, batch }] = readMetaWebhook({
      object: 'instagram',
      entry: [
        {
          id: 'ME',
          messaging: [
            { sender: { id: 'ME' }, recipient: { id: 'U1' }, timestamp: 1, message: { mid: 'm-echo', text: 'ours', is_echo: true } },
            { sender: { id: 'U1' }, recipient: { id: 'ME' }, timestamp: 2, message: { mid: 'm-1', attachments: [{ type: 'image', payload: { url: 'https://cdn/x.jpg' } }] } },
            { sender: { id: 'U1' }, recipient: { id: 'ME' }, timestamp: 3, read: { mid: 'm-ours' } },
            { sender: { id: 'U1' }, recipient: { id: 'ME' }, timestamp: 4, reaction: { mid: 'm-ours', action: 'react', emoji: '❤️' } },
          ],
          changes: [
            { field: 'comments', value: { from: { id: 'ME', username: 'store' }, id: 'c-ours', text: 'شكراً' } },
            { field: 'comments', value: { from: { id: 'U2', username: 'noura' }, media: { id: 'media-1' }, id: 'c-1', text: 'كم السعر؟' } },
            { field: 'feed', value: { item: 'comment', verb: 'edited', comment_id: 'x', from: { id: 'U3' }, message: 'x' } },
          ],
        },
      ],
    });
    expect(batch.messages.map((m) => [m.externalId, m.body, Boolean(m.comment), Boolean(m.reaction)])).toEqual([
      ['m-1', '📷 صورة', false, false],
      ['m-ours:reaction:U1:4', 'تفاعل: ❤️', false, true],
      ['c-1', 'كم السعر؟', true, false],
    ]);
    expect(batch.messages[0].media).toEqual([{ url: 'https://cdn/x.jpg', contentType: 'image/jpeg' }]);
    expect(batch.receipts).toEqual([{ externalId: 'm-ours', status: 'READ', at: new Date(3) }]);
    expect(accountId).toBe('ME');
  });

  it('Meta: each entry belongs to its account (entry.id)', () => {
    const dm = (account: string, mid: string) => ({ id: account, messaging: [{ sender: { id: 'U1' }, recipient: { id: account }, timestamp: 1, message: { mid, text: mid } }] });
    const groups = readMetaWebhook({ object: 'page', entry: [dm('P1', 'm1'), dm('P2', 'm2'), dm('P1', 'm3')] });
    expect(groups.map((g) => [g.accountId, g.batch.messages.map((m) => m.externalId)])).toEqual([
      ['P1', ['m1', 'm3']],
      ['P2', ['m2']],
    ]);
  });

  it("X: skips the account's own DMs and posts", () => {
    const [{ accountId, batch }] = readXWebhook({
      for_user_id: 'ME',
      direct_message_events: [
        { type: 'message_create', id: 'd-ours', created_timestamp: '1', message_create: { sender_id: 'ME', message_data: { text: 'ours' } } },
        { type: 'message_create', id: 'd-1', created_timestamp: '2', message_create: { sender_id: 'U1', message_data: { text: 'مرحبا' } } },
      ],
      users: { U1: { id: 'U1', name: 'فهد', screen_name: 'fahad' } },
      tweet_create_events: [
        { id_str: 't-ours', text: 'ours', user: { id_str: 'ME' } },
        { id_str: 't-1', text: '@store وين طلبي', user: { id_str: 'U2', screen_name: 'reem' } },
      ],
    });
    expect(batch.messages.map((m) => [m.externalId, m.name ?? m.username, m.comment?.platform ?? null])).toEqual([
      ['d-1', 'فهد', null],
      ['t-1', 'reem', 'X'],
    ]);
    expect(accountId).toBe('ME');
  });

  it('finds what a payload of the wrong shape made of the events, and replaces unusable times by now', () => {
    const wrongMessages = readWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: 'نص' as never } }] }] });
    expect(inboundShapeProblem(wrongMessages)).toMatch(/message 0: the message id/);
    const numberId = readWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ from: '9665', id: 42 as never, timestamp: '1', type: 'text', text: { body: 'x' } }] } }] }],
    });
    expect(inboundShapeProblem(numberId)).toMatch(/message id/);
    const farFuture = readWhatsAppWebhook({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ from: '9665', id: 'wamid.Z', timestamp: '1e308', type: 'text', text: { body: 'x' } }] } }] }],
    });
    expect(inboundShapeProblem(farFuture)).toBeNull();
    expect(Math.abs(farFuture[0].batch.messages[0].at.getTime() - Date.now())).toBeLessThan(5000);
  });

  it('makes a subject from the first line, at most 80 characters', () => {
    expect(subjectFrom('\n  وين طلبي؟ \nالتفاصيل')).toBe('وين طلبي؟');
    expect([...subjectFrom('ا'.repeat(100))]).toHaveLength(80);
    expect(subjectFrom('   ')).toBe('(رسالة)');
  });
});
