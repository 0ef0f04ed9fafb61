import { registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { numberColumn } from '../../common/database/number-transformer';
import { Channel } from '../../tickets/ticket-enums';

export enum FaqOutcome {
  /** Answered; waiting for the customer's "did this help?". */
  PENDING = 'PENDING',
  /** The customer said yes: the ticket was solved as self-served. */
  HELPED = 'HELPED',
  /** The customer said no: handed to an agent. */
  NOT_HELPED = 'NOT_HELPED',
  /** The customer wrote something else, or an agent answered first. */
  HANDED_OVER = 'HANDED_OVER',
}
registerEnumType(FaqOutcome, { name: 'FaqOutcome' });

/** The automatic FAQ answer a ticket got (at most one), and what came of it. */
@Entity('faq_answers')
@Index('faq_answers_tenant_ticket_key', ['tenantId', 'ticketId'], { unique: true })
@Index('faq_answers_tenant_created_idx', ['tenantId', 'createdAt'])
@Check('faq_answers_outcome_check', `outcome IN ('PENDING','HELPED','NOT_HELPED','HANDED_OVER')`)
export class FaqAnswer {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  ticketId: string;

  /** Null once the article is deleted. */
  @Column('uuid', { nullable: true })
  articleId: string | null;

  @Column('text')
  channel: Channel;

  @Column('numeric', { precision: 4, scale: 3, transformer: numberColumn })
  confidence: number;

  /** The answer message on the ticket. */
  @Column('uuid')
  messageId: string;

  @Column('text')
  outcome: FaqOutcome;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  answeredAt: Date | null;
}
