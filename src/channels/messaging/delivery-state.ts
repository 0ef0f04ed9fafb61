/**
 * Outbound delivery on messaging platforms: which receipt wins, when a free-form reply is allowed,
 * and which platform errors are worth retrying. Pure.
 */
export type DeliveryState = 'QUEUED' | 'SENT' | 'DELIVERED' | 'READ' | 'FAILED';

const PROGRESS: DeliveryState[] = ['QUEUED', 'SENT', 'DELIVERED', 'READ'];

/**
 * The state after a receipt. Receipts arrive out of order (read before delivered) and repeat, so
 * the furthest state wins; a failure counts only before the message was delivered (a late
 * "failed" for a message already read is noise), and nothing follows a failure but a read.
 */
export function furthestDelivery(current: DeliveryState | null, receipt: Exclude<DeliveryState, 'QUEUED'>): DeliveryState {
  if (!current) return receipt;
  if (receipt === 'FAILED') return current === 'QUEUED' || current === 'SENT' ? 'FAILED' : current;
  if (current === 'FAILED') return receipt === 'READ' ? 'READ' : 'FAILED';
  return PROGRESS.indexOf(receipt) > PROGRESS.indexOf(current) ? receipt : current;
}

/** WhatsApp's customer-service window (and Messenger/Instagram's standard messaging window). */
export const SERVICE_WINDOW_HOURS = 24;
/** Meta's human-agent tag lets a person answer on Instagram and Messenger for 7 days. */
export const HUMAN_AGENT_WINDOW_HOURS = 7 * 24;

/** Whether a free-form message may still be sent, given the customer's last message on the channel. */
export function windowOpen(lastCustomerMessageAt: Date | null, now: Date, hours = SERVICE_WINDOW_HOURS): boolean {
  return lastCustomerMessageAt !== null && now.getTime() - lastCustomerMessageAt.getTime() < hours * 3_600_000;
}

/** Graph API error codes that mean "try again later": throttling and temporary outages. */
const RETRYABLE_GRAPH_CODES = new Set([1, 2, 4, 17, 341, 613, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

/**
 * Whether a failed call is worth retrying: network errors, 5xx and 429 are; a documented
 * throttling code is; anything else the platform answered (bad token 190, closed window 131047,
 * bad recipient, bad template) is permanent.
 */
export function isRetryable(failure: { httpStatus?: number; code?: number }): boolean {
  if (failure.httpStatus === undefined) return true;
  if (failure.code !== undefined && RETRYABLE_GRAPH_CODES.has(failure.code)) return true;
  if (failure.code !== undefined && failure.httpStatus < 500) return false;
  return failure.httpStatus >= 500 || failure.httpStatus === 429;
}
