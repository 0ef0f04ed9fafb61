/**
 * WhatsApp Cloud API webhook payloads exactly as Meta documents them
 * (entry[].changes[].value with messaging_product, metadata, contacts, messages, statuses).
 */
export interface WaContext {
  phoneNumberId: string;
  displayPhoneNumber?: string;
}

let counter = 0;
export const wamid = () => `wamid.HBgMOTY2NTAxMjM0NTY3FQIAEhgg${(++counter).toString(16).padStart(6, '0')}${Date.now().toString(16)}`;
export const unix = (date = new Date()) => String(Math.floor(date.getTime() / 1000));

export function waWebhook(ctx: WaContext, value: { contacts?: unknown[]; messages?: unknown[]; statuses?: unknown[] }) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: ctx.displayPhoneNumber ?? '966112345678', phone_number_id: ctx.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export const waContact = (waId: string, name: string) => ({ profile: { name }, wa_id: waId });

export function waMessage(from: string, type: string, part: Record<string, unknown>, extra: { id?: string; at?: Date; context?: unknown } = {}) {
  return { from, id: extra.id ?? wamid(), timestamp: unix(extra.at), type, ...(extra.context ? { context: extra.context } : {}), ...part };
}

export const waText = (from: string, body: string, extra: { id?: string; at?: Date; context?: unknown } = {}) => waMessage(from, 'text', { text: { body } }, extra);

export function waStatus(id: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipient: string, at = new Date(), errors?: unknown[]) {
  return {
    id,
    status,
    timestamp: unix(at),
    recipient_id: recipient,
    ...(status === 'failed'
      ? { errors }
      : {
          conversation: { id: 'CONVERSATION_ID', expiration_timestamp: unix(new Date(at.getTime() + 86_400_000)), origin: { type: 'service' } },
          pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
        }),
  };
}
