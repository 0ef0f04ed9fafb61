import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The latest message one side of a conversation has read. */
@Entity('chat_read_markers')
@Check('chat_read_markers_reader_check', `reader IN ('CUSTOMER','AGENT')`)
export class ChatReadMarker {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  ticketId: string;

  @PrimaryColumn('text')
  reader: 'CUSTOMER' | 'AGENT';

  @Column('uuid')
  messageId: string;

  @Column('timestamptz', { default: () => 'now()' })
  readAt: Date;
}
