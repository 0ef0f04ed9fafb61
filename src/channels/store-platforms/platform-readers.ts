import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { StoreEventType } from '../store-events/entities/store-event.entity';

/** A customer as a platform describes one; the platform's id is prefixed with the platform so two platforms' ids never meet. */
export interface PlatformCustomer {
  externalId?: string;
  email?: string;
  phone?: string;
  name?: string;
}

export interface PlatformOrderEvent {
  type: StoreEventType;
  occurredAt: Date;
  /** For ORDER_DELAYED: the new expected date. */
  expectedDeliveryAt?: Date | null;
}

export interface PlatformItem {
  productId: string;
  name: string;
  quantity: number;
  price: number | null;
}

export type PlatformDelivery =
  | {
      kind: 'ORDER';
      topic: string;
      key: string;
      orderId: string;
      /** Null when the payload names only the order (shipment and fulfillment events): the order's customer is used. */
      customer: PlatformCustomer | null;
      totalAmount?: number;
      currency?: string;
      items?: PlatformItem[];
      events: PlatformOrderEvent[];
      /** A carrier's estimate (Shopify fulfillment events): later than the order's known date, it is a delay. */
      estimatedDeliveryAt?: Date;
    }
  | { kind: 'CUSTOMER'; topic: string; key: string; customer: PlatformCustomer }
  | { kind: 'IGNORED'; topic: string; key: string; reason: string };

/** A payload of an event the connector maps, without what the platform documents for it. */
export class PayloadShapeError extends Error {}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new PayloadShapeError(`${path} must be an object`);
  return value;
}

function id(value: unknown, path: string): string {
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^[\w.:#-]{1,100}$/.test(value))) return String(value);
  throw new PayloadShapeError(`${path} must be an id`);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : undefined;
}

function amount(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n < 1_000_000_000 ? Math.round(n * 100) / 100 : undefined;
}

function currency(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) ? value : undefined;
}

/** Times outside this range are not an order's: read as absent rather than stored (or refused by PostgreSQL). */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const plausible = (date: Date | undefined) => (date && date.getTime() >= EARLIEST && date.getTime() < LATEST ? date : undefined);

/** An ISO-8601 or RFC 2822-ish time with its offset; undefined when absent or unreadable. */
function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const iso = DateTime.fromISO(value, { setZone: true });
  if (iso.isValid) return plausible(iso.toJSDate());
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : plausible(parsed);
}

/** A wall-clock time with no zone ("2026-11-20 14:00:00"), read in the given zone. */
function wallClock(value: unknown, zone: string): Date | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const sql = DateTime.fromSQL(value.trim(), { zone });
  if (sql.isValid) return plausible(sql.toJSDate());
  const iso = DateTime.fromISO(value.trim(), { zone });
  return iso.isValid ? plausible(iso.toJSDate()) : undefined;
}

function fingerprint(...parts: Array<string | undefined>): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('hex')
    .slice(0, 16);
}

function fullName(...parts: unknown[]): string | undefined {
  const name = parts
    .map(text)
    .filter((p): p is string => !!p)
    .join(' ')
    .trim();
  return name || undefined;
}

function withoutEmpty(customer: PlatformCustomer): PlatformCustomer {
  return Object.fromEntries(Object.entries(customer).filter(([, v]) => v !== undefined && v !== '')) as PlatformCustomer;
}

const customerKey = (topic: string, customer: PlatformCustomer) => `${topic}:${customer.externalId}:${fingerprint(customer.name, customer.email, customer.phone)}`;

// ── Salla ──────────────────────────────────────────────────────────────────────────────────────

/** Salla's order status slugs and the store events they are. */
const SALLA_STATUS: Record<string, StoreEventType[]> = {
  payment_pending: [],
  under_review: [],
  request_quote: [],
  in_progress: [],
  completed: [],
  shipped: [StoreEventType.ORDER_SHIPPED],
  delivering: [StoreEventType.ORDER_SHIPPED],
  delivered: [StoreEventType.ORDER_DELIVERED],
  canceled: [StoreEventType.ORDER_CANCELLED],
  restoring: [],
  restored: [StoreEventType.ORDER_RETURNED],
  refunded: [StoreEventType.ORDER_RETURNED],
};

/** Salla's shipment statuses (shipment.created / shipment.updated). */
const SALLA_SHIPMENT: Record<string, StoreEventType[]> = {
  creating: [],
  created: [StoreEventType.ORDER_SHIPPED],
  in_progress: [StoreEventType.ORDER_SHIPPED],
  shipped: [StoreEventType.ORDER_SHIPPED],
  delivering: [StoreEventType.ORDER_SHIPPED],
  delivered: [StoreEventType.ORDER_DELIVERED],
  cancelled: [],
};

function sallaCustomer(value: unknown): PlatformCustomer | null {
  if (!isObject(value)) return null;
  const mobile = text(value.mobile);
  const code = text(value.mobile_code);
  const phone = mobile ? (code && !mobile.startsWith('+') ? `${code.startsWith('+') ? code : `+${code}`}${mobile.replace(/^0+/, '')}` : mobile) : undefined;
  return withoutEmpty({
    externalId: value.id !== undefined && value.id !== null ? `salla:${id(value.id, 'customer.id')}` : undefined,
    email: text(value.email),
    phone,
    name: fullName(value.first_name, value.last_name) ?? text(value.name),
  });
}

function sallaOrder(topic: string, order: Json, occurredAt: Date, extra: StoreEventType[]): PlatformDelivery {
  const orderId = id(order.id, 'data.id');
  const status = isObject(order.status) ? text(order.status.slug) : text(order.status);
  const statusEvents = status ? (SALLA_STATUS[status] ?? []) : [];
  // Paid online (any method but cash on delivery) once it has left "awaiting payment".
  const paidOnline = !!text(order.payment_method) && order.payment_method !== 'cod' && status !== undefined && status !== 'payment_pending';
  const types = [...new Set([...extra, ...(paidOnline ? [StoreEventType.ORDER_PAID] : []), ...statusEvents])];
  // Webhooks carry amounts.total; the orders list of the API carries total.
  const amounts = isObject(order.amounts) && isObject(order.amounts.total) ? order.amounts.total : isObject(order.total) ? order.total : undefined;
  const items = Array.isArray(order.items)
    ? order.items.filter(isObject).map((item) => ({
        productId: text(item.sku) ?? text(item.product_id) ?? text(item.id) ?? 'unknown',
        name: text(item.name) ?? '—',
        quantity: typeof item.quantity === 'number' && item.quantity > 0 ? Math.floor(item.quantity) : 1,
        price: isObject(item.amounts) && isObject(item.amounts.price_without_tax) ? (amount(item.amounts.price_without_tax.amount) ?? null) : (amount(item.price) ?? null),
      }))
    : undefined;
  return {
    kind: 'ORDER',
    topic,
    key: `${topic}:${orderId}:${status ?? ''}`,
    orderId,
    customer: sallaCustomer(order.customer),
    totalAmount: amounts ? amount(amounts.amount) : undefined,
    currency: (amounts ? currency(amounts.currency) : undefined) ?? currency(order.currency),
    items,
    events: types.map((type) => ({ type, occurredAt })),
  };
}

/**
 * A Salla webhook: `{ event, merchant, created_at, data }`. Orders carry their status in
 * `data.status.slug`; `order.status.updated` carries a status-history record whose `id` is not the
 * order's, with the order in `data.order`; shipments name their order by `order_id`.
 */
export function readSallaWebhook(payload: unknown): PlatformDelivery & { merchant?: string } {
  const body = object(payload, 'body');
  const topic = text(body.event);
  if (!topic) throw new PayloadShapeError('event is required');
  const merchant = body.merchant !== undefined && body.merchant !== null ? id(body.merchant, 'merchant') : undefined;
  const occurredAt = instant(body.created_at) ?? new Date();
  const result = ((): PlatformDelivery => {
    switch (topic) {
      case 'order.created':
        return sallaOrder(topic, object(body.data, 'data'), occurredAt, [StoreEventType.ORDER_CREATED]);
      case 'order.updated':
        return sallaOrder(topic, object(body.data, 'data'), occurredAt, [StoreEventType.ORDER_CREATED]);
      case 'order.status.updated':
        return sallaOrder(topic, object(object(body.data, 'data').order, 'data.order'), occurredAt, []);
      case 'order.cancelled':
        return sallaOrder(topic, object(body.data, 'data'), occurredAt, [StoreEventType.ORDER_CANCELLED]);
      case 'order.refunded':
        return sallaOrder(topic, object(body.data, 'data'), occurredAt, [StoreEventType.ORDER_RETURNED]);
      case 'shipment.created':
      case 'shipment.updated': {
        const shipment = object(body.data, 'data');
        const orderId = id(shipment.order_id, 'data.order_id');
        const status = text(shipment.status) ?? 'created';
        return {
          kind: 'ORDER',
          topic,
          key: `${topic}:${orderId}:${id(shipment.id, 'data.id')}:${status}`,
          orderId,
          customer: null,
          events: (SALLA_SHIPMENT[status] ?? [StoreEventType.ORDER_SHIPPED]).map((type) => ({ type, occurredAt })),
        };
      }
      case 'customer.created':
      case 'customer.updated': {
        const customer = sallaCustomer(object(body.data, 'data'));
        if (!customer?.externalId) throw new PayloadShapeError('data.id is required');
        return { kind: 'CUSTOMER', topic, key: customerKey(topic, customer), customer };
      }
      default:
        return { kind: 'IGNORED', topic, key: `${topic}:${fingerprint(JSON.stringify(body.data ?? null))}`, reason: `Salla event ${topic} is not mapped` };
    }
  })();
  return { ...result, merchant };
}

// ── Zid ────────────────────────────────────────────────────────────────────────────────────────

/** Zid's order status codes. */
const ZID_STATUS: Record<string, StoreEventType[]> = {
  new: [StoreEventType.ORDER_CREATED],
  preparing: [StoreEventType.ORDER_CREATED],
  ready: [StoreEventType.ORDER_CREATED],
  indelivery: [StoreEventType.ORDER_SHIPPED],
  delivered: [StoreEventType.ORDER_DELIVERED],
  cancelled: [StoreEventType.ORDER_CANCELLED],
  reversed: [StoreEventType.ORDER_RETURNED],
  refunded: [StoreEventType.ORDER_RETURNED],
};

const ZID_ORDER_EVENTS = new Set(['order.create', 'order.status.update', 'order.payment_status.update']);
const ZID_CUSTOMER_EVENTS = new Set(['customer.create', 'customer.update']);

/**
 * A Zid webhook: the body is the order (or customer) itself, with no event name, so the event is
 * the `event` query parameter of the registered URL when given, else told by the shape (an order
 * has `order_status`). Its times have no zone: they are the store's wall clock.
 */
export function readZidWebhook(payload: unknown, eventHint: string | undefined, zone: string): PlatformDelivery & { storeId?: string } {
  const body = object(payload, 'body');
  const topic = eventHint ?? (isObject(body.order_status) ? 'order' : body.id !== undefined && (body.email !== undefined || body.mobile !== undefined) ? 'customer' : 'unknown');
  const storeId = body.store_id !== undefined && body.store_id !== null ? id(body.store_id, 'store_id') : undefined;
  if (topic === 'order' || ZID_ORDER_EVENTS.has(topic)) {
    const orderId = id(body.id, 'id');
    const status = isObject(body.order_status) ? text(body.order_status.code) : undefined;
    if (!status) throw new PayloadShapeError('order_status.code is required');
    const paid = body.payment_status === 'paid';
    const occurredAt = wallClock(body.updated_at, zone) ?? wallClock(body.created_at, zone) ?? new Date();
    const types = [...new Set([...(paid ? [StoreEventType.ORDER_PAID] : []), ...(ZID_STATUS[status] ?? [StoreEventType.ORDER_CREATED])])];
    const customer = isObject(body.customer)
      ? withoutEmpty({
          externalId: body.customer.id !== undefined && body.customer.id !== null ? `zid:${id(body.customer.id, 'customer.id')}` : undefined,
          email: text(body.customer.email),
          phone: text(body.customer.mobile),
          name: text(body.customer.name),
        })
      : null;
    return {
      kind: 'ORDER',
      topic,
      storeId,
      key: `${topic}:${orderId}:${status}:${text(body.payment_status) ?? ''}`,
      orderId,
      customer,
      totalAmount: amount(body.order_total),
      currency: currency(body.currency_code),
      items: Array.isArray(body.products)
        ? body.products.filter(isObject).map((p) => ({
            productId: text(p.sku) ?? text(p.id) ?? 'unknown',
            name: text(p.name) ?? '—',
            quantity: typeof p.quantity === 'number' && p.quantity > 0 ? Math.floor(p.quantity) : 1,
            price: amount(p.price) ?? null,
          }))
        : undefined,
      events: types.map((type) => ({ type, occurredAt: type === StoreEventType.ORDER_CREATED ? (wallClock(body.created_at, zone) ?? occurredAt) : occurredAt })),
    };
  }
  if (topic === 'customer' || ZID_CUSTOMER_EVENTS.has(topic)) {
    const customer = withoutEmpty({ externalId: `zid:${id(body.id, 'id')}`, email: text(body.email), phone: text(body.mobile), name: text(body.name) });
    return { kind: 'CUSTOMER', topic, storeId, key: customerKey(topic, customer), customer };
  }
  return { kind: 'IGNORED', topic, storeId, key: `${topic}:${fingerprint(JSON.stringify(body))}`, reason: `Zid event ${topic} is not mapped` };
}

// ── Shopify ────────────────────────────────────────────────────────────────────────────────────

function shopifyCustomer(order: Json): PlatformCustomer | null {
  const customer = isObject(order.customer) ? order.customer : null;
  const address = isObject(order.shipping_address) ? order.shipping_address : isObject(order.billing_address) ? order.billing_address : null;
  const found = withoutEmpty({
    externalId: customer && customer.id !== undefined && customer.id !== null ? `shopify:${id(customer.id, 'customer.id')}` : undefined,
    email: text(customer?.email) ?? text(order.email) ?? text(order.contact_email),
    phone: text(customer?.phone) ?? text(order.phone) ?? text(address?.phone),
    name: fullName(customer?.first_name, customer?.last_name) ?? text(address?.name),
  });
  return Object.keys(found).length ? found : null;
}

/** Shopify's fulfillment event statuses that mean the parcel reached the customer or is late. */
const SHOPIFY_FULFILLMENT_EVENT: Record<string, StoreEventType> = {
  delivered: StoreEventType.ORDER_DELIVERED,
  delayed: StoreEventType.ORDER_DELAYED,
};

/**
 * A Shopify webhook: the topic is `X-Shopify-Topic`, the delivery `X-Shopify-Webhook-Id`. Orders
 * carry their customer; fulfillments and fulfillment events name only `order_id`. The expected
 * date comes with fulfillment events (`estimated_delivery_at`), and a late parcel is a fulfillment
 * event with status `delayed`.
 */
export function readShopifyWebhook(topic: string, webhookId: string, payload: unknown): PlatformDelivery {
  const body = object(payload, 'body');
  const key = webhookId;
  const order = (events: PlatformOrderEvent[]): PlatformDelivery => {
    const items = Array.isArray(body.line_items)
      ? body.line_items.filter(isObject).map((line) => ({
          productId: text(line.sku) ?? text(line.product_id) ?? text(line.id) ?? 'unknown',
          name: text(line.name) ?? text(line.title) ?? '—',
          quantity: typeof line.quantity === 'number' && line.quantity > 0 ? Math.floor(line.quantity) : 1,
          price: amount(line.price) ?? null,
        }))
      : undefined;
    return {
      kind: 'ORDER',
      topic,
      key,
      orderId: id(body.id, 'id'),
      customer: shopifyCustomer(body),
      totalAmount: amount(body.total_price),
      currency: currency(body.currency),
      items,
      events,
    };
  };
  const at = (...values: unknown[]) => values.map(instant).find((d): d is Date => !!d) ?? new Date();
  switch (topic) {
    case 'orders/create': {
      const created = { type: StoreEventType.ORDER_CREATED, occurredAt: at(body.created_at) };
      return order(body.financial_status === 'paid' ? [created, { type: StoreEventType.ORDER_PAID, occurredAt: at(body.processed_at, body.created_at) }] : [created]);
    }
    case 'orders/paid':
      return order([{ type: StoreEventType.ORDER_PAID, occurredAt: at(body.processed_at, body.updated_at) }]);
    case 'orders/cancelled':
      return order([{ type: StoreEventType.ORDER_CANCELLED, occurredAt: at(body.cancelled_at, body.updated_at) }]);
    case 'orders/fulfilled':
      return order([{ type: StoreEventType.ORDER_SHIPPED, occurredAt: at(body.updated_at) }]);
    case 'orders/updated': {
      const occurredAt = at(body.updated_at);
      if (body.cancelled_at) return order([{ type: StoreEventType.ORDER_CANCELLED, occurredAt: at(body.cancelled_at, body.updated_at) }]);
      if (body.financial_status === 'refunded') return order([{ type: StoreEventType.ORDER_RETURNED, occurredAt }]);
      if (body.fulfillment_status === 'fulfilled') return order([{ type: StoreEventType.ORDER_SHIPPED, occurredAt }]);
      if (body.financial_status === 'paid') return order([{ type: StoreEventType.ORDER_PAID, occurredAt }]);
      return order([{ type: StoreEventType.ORDER_CREATED, occurredAt: at(body.created_at) }]);
    }
    case 'fulfillments/create':
    case 'fulfillments/update': {
      const orderId = id(body.order_id, 'order_id');
      const delivered = body.shipment_status === 'delivered';
      return {
        kind: 'ORDER',
        topic,
        key,
        orderId,
        customer: null,
        events: [{ type: delivered ? StoreEventType.ORDER_DELIVERED : StoreEventType.ORDER_SHIPPED, occurredAt: at(body.updated_at, body.created_at) }],
      };
    }
    case 'fulfillment_events/create': {
      const orderId = id(body.order_id, 'order_id');
      const status = text(body.status) ?? '';
      const estimated = instant(body.estimated_delivery_at);
      const type = SHOPIFY_FULFILLMENT_EVENT[status] ?? StoreEventType.ORDER_SHIPPED;
      return {
        kind: 'ORDER',
        topic,
        key,
        orderId,
        customer: null,
        events: [{ type, occurredAt: at(body.happened_at, body.created_at), expectedDeliveryAt: type === StoreEventType.ORDER_DELAYED ? (estimated ?? null) : undefined }],
        estimatedDeliveryAt: type === StoreEventType.ORDER_SHIPPED ? estimated : undefined,
      };
    }
    case 'customers/create':
    case 'customers/update': {
      const address = isObject(body.default_address) ? body.default_address : null;
      const customer = withoutEmpty({
        externalId: `shopify:${id(body.id, 'id')}`,
        email: text(body.email),
        phone: text(body.phone) ?? text(address?.phone),
        name: fullName(body.first_name, body.last_name),
      });
      return { kind: 'CUSTOMER', topic, key, customer };
    }
    default:
      return { kind: 'IGNORED', topic, key, reason: `Shopify topic ${topic} is not mapped` };
  }
}

/** A Shopify order as the Admin API lists it (a backfill): every state it has reached, each at its own time. */
export function readShopifyOrderSnapshot(order: unknown): PlatformDelivery {
  const body = object(order, 'order');
  const at = (...values: unknown[]) => values.map(instant).find((d): d is Date => !!d) ?? new Date();
  const events: PlatformOrderEvent[] = [{ type: StoreEventType.ORDER_CREATED, occurredAt: at(body.created_at) }];
  if (['paid', 'partially_refunded', 'refunded'].includes(String(body.financial_status))) events.push({ type: StoreEventType.ORDER_PAID, occurredAt: at(body.processed_at, body.created_at) });
  if (body.fulfillment_status === 'fulfilled') events.push({ type: StoreEventType.ORDER_SHIPPED, occurredAt: at(body.updated_at) });
  if (body.financial_status === 'refunded') events.push({ type: StoreEventType.ORDER_RETURNED, occurredAt: at(body.updated_at) });
  if (body.cancelled_at) events.push({ type: StoreEventType.ORDER_CANCELLED, occurredAt: at(body.cancelled_at) });
  const read = readShopifyWebhook('orders/create', 'snapshot', body);
  return read.kind === 'ORDER' ? { ...read, topic: 'sync', key: `sync:${read.orderId}:${events.map((e) => e.type).join(',')}`, events } : read;
}
