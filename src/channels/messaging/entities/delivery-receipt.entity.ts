import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A platform's word on an outbound message (sent, delivered, read, failed). Kept apart from the
 * message because a receipt can arrive before the send job has recorded the provider's id; the
 * message's deliveryStatus is the furthest receipt.
 */
@Entity('delivery_receipts')
@Check('delivery_receipts_status_check', `status IN ('SENT','DELIVERED','READ','FAILED')`)
export class DeliveryReceipt {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('text')
  channel: string;

  @PrimaryColumn('text')
  externalId: string;

  @PrimaryColumn('text')
  status: string;

  @Column('timestamptz')
  occurredAt: Date;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  receivedAt: Date;
}
