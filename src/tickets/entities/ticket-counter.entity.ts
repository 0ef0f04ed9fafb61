import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last ticket number handed out per tenant; one row lock per create keeps numbers gap-free. */
@Entity('ticket_counters')
export class TicketCounter {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Column('integer')
  lastNumber: number;
}
