import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A satisfaction survey sent when a ticket is solved; answered once, before it expires. */
@Entity('csat_surveys')
@Index('csat_surveys_tenant_ticket_idx', ['tenantId', 'ticketId', 'createdAt'])
@Check('csat_surveys_rating_check', 'rating BETWEEN 1 AND 5')
@Check('csat_surveys_nps_check', 'nps BETWEEN 0 AND 10')
export class CsatSurvey {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  ticketId: string;

  @Column('uuid')
  customerId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;

  @Column('smallint', { nullable: true })
  rating: number | null;

  @Column('text', { nullable: true })
  comment: string | null;

  /** "How likely are you to recommend us?" 0–10, when the survey asked it. */
  @Column('smallint', { nullable: true })
  nps: number | null;

  /** When its message with the link went out to the customer (at most one survey message per ticket). */
  @Column('timestamptz', { nullable: true })
  messageSentAt: Date | null;
}
