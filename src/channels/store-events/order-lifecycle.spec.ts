import { OrderStatus } from './entities/order.entity';
import { StoreEventType } from './entities/store-event.entity';
import { applyStoreEvent, fillPlaceholders } from './order-lifecycle';

const t = (iso: string) => new Date(iso);
const fresh = { status: OrderStatus.CREATED, placedAt: t('2026-11-01T10:00:00Z'), paidAt: null, shippedAt: null, deliveredAt: null, expectedDeliveryAt: null, returnedAt: null };

describe('applyStoreEvent', () => {
  it('moves an order through its life, each event setting its date', () => {
    const paid = applyStoreEvent(fresh, StoreEventType.ORDER_PAID, t('2026-11-01T10:05:00Z'), null);
    const shipped = applyStoreEvent(paid, StoreEventType.ORDER_SHIPPED, t('2026-11-02T08:00:00Z'), null);
    const delayed = applyStoreEvent(shipped, StoreEventType.ORDER_DELAYED, t('2026-11-04T08:00:00Z'), t('2026-11-07T15:00:00Z'));
    const delivered = applyStoreEvent(delayed, StoreEventType.ORDER_DELIVERED, t('2026-11-06T12:00:00Z'), null);
    expect(delivered).toEqual({
      status: OrderStatus.DELIVERED,
      placedAt: t('2026-11-01T10:00:00Z'),
      paidAt: t('2026-11-01T10:05:00Z'),
      shippedAt: t('2026-11-02T08:00:00Z'),
      deliveredAt: t('2026-11-06T12:00:00Z'),
      expectedDeliveryAt: t('2026-11-07T15:00:00Z'),
      returnedAt: null,
    });
  });

  it('never moves back on a late event, and a repeated event keeps the first date', () => {
    const delivered = applyStoreEvent(fresh, StoreEventType.ORDER_DELIVERED, t('2026-11-03T12:00:00Z'), null);
    const lateShipped = applyStoreEvent(delivered, StoreEventType.ORDER_SHIPPED, t('2026-11-02T08:00:00Z'), null);
    expect(lateShipped.status).toBe(OrderStatus.DELIVERED);
    expect(lateShipped.shippedAt).toEqual(t('2026-11-02T08:00:00Z'));
    const again = applyStoreEvent(lateShipped, StoreEventType.ORDER_DELIVERED, t('2026-11-09T12:00:00Z'), null);
    expect(again.deliveredAt).toEqual(t('2026-11-03T12:00:00Z'));
  });

  it('counts a delivered order as paid (cash on delivery)', () => {
    expect(applyStoreEvent(fresh, StoreEventType.ORDER_DELIVERED, t('2026-11-03T12:00:00Z'), null).paidAt).toEqual(t('2026-11-03T12:00:00Z'));
  });

  it('returns and cancellations are final', () => {
    const returned = applyStoreEvent(applyStoreEvent(fresh, StoreEventType.ORDER_DELIVERED, t('2026-11-03T12:00:00Z'), null), StoreEventType.ORDER_RETURNED, t('2026-11-05T12:00:00Z'), null);
    expect(returned.status).toBe(OrderStatus.RETURNED);
    expect(applyStoreEvent(returned, StoreEventType.ORDER_DELAYED, t('2026-11-06T12:00:00Z'), null).status).toBe(OrderStatus.RETURNED);
  });
});

describe('fillPlaceholders', () => {
  it('fills known placeholders (spaces allowed) and leaves unknown ones as written', () => {
    expect(fillPlaceholders('مرحباً {{customer.name}}، طلبك {{ order.id }} {{survey.link}}', { 'customer.name': 'سارة', 'order.id': '4512' })).toBe('مرحباً سارة، طلبك 4512 {{survey.link}}');
  });
});
