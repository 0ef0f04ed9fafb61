import { OrderStatus } from './entities/order.entity';
import { StoreEventType } from './entities/store-event.entity';

interface OrderDates {
  status: OrderStatus;
  placedAt: Date;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  expectedDeliveryAt: Date | null;
  returnedAt: Date | null;
}

const STATUS_OF: Record<StoreEventType, OrderStatus> = {
  ORDER_CREATED: OrderStatus.CREATED,
  ORDER_PAID: OrderStatus.PAID,
  ORDER_SHIPPED: OrderStatus.SHIPPED,
  ORDER_DELIVERED: OrderStatus.DELIVERED,
  ORDER_DELAYED: OrderStatus.DELAYED,
  ORDER_RETURNED: OrderStatus.RETURNED,
  ORDER_CANCELLED: OrderStatus.CANCELLED,
};

/** How far along each status is: a late, older event never moves an order back. */
const STAGE: Record<OrderStatus, number> = { CREATED: 0, PAID: 1, SHIPPED: 2, DELAYED: 2, DELIVERED: 3, RETURNED: 4, CANCELLED: 4 };

/**
 * An order after a store event. Events may arrive late or out of order (webhooks of the store
 * platform are retried): each sets its own date, and the status only moves forward. Delivery
 * implies payment (cash on delivery is common in Saudi Arabia), so a delivered order counts in the
 * customer's lifetime value even if no "paid" event came.
 */
export function applyStoreEvent(order: OrderDates, type: StoreEventType, at: Date, expectedDeliveryAt: Date | null): OrderDates {
  const next = { ...order };
  const status = STATUS_OF[type];
  if (STAGE[status] >= STAGE[order.status]) next.status = status;
  switch (type) {
    case StoreEventType.ORDER_CREATED:
      next.placedAt = at < order.placedAt ? at : order.placedAt;
      break;
    case StoreEventType.ORDER_PAID:
      next.paidAt = order.paidAt ?? at;
      break;
    case StoreEventType.ORDER_SHIPPED:
      next.shippedAt = order.shippedAt ?? at;
      // A carrier's first estimate (a store platform's shipment); a later one is a delay.
      next.expectedDeliveryAt = order.expectedDeliveryAt ?? expectedDeliveryAt;
      break;
    case StoreEventType.ORDER_DELAYED:
      next.expectedDeliveryAt = expectedDeliveryAt ?? order.expectedDeliveryAt;
      break;
    case StoreEventType.ORDER_DELIVERED:
      next.deliveredAt = order.deliveredAt ?? at;
      next.paidAt = order.paidAt ?? at;
      break;
    case StoreEventType.ORDER_RETURNED:
      next.returnedAt = order.returnedAt ?? at;
      break;
    case StoreEventType.ORDER_CANCELLED:
      break;
  }
  return next;
}

/** Replaces `{{name}}` placeholders with their values; unknown ones are left as written. */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
}
