import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum CallDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}
registerEnumType(CallDirection, { name: 'CallDirection' });

export enum CallOutcome {
  ANSWERED = 'ANSWERED',
  MISSED = 'MISSED',
  VOICEMAIL = 'VOICEMAIL',
}
registerEnumType(CallOutcome, { name: 'CallOutcome', description: 'A missed call or voicemail asks for a call back.' });

/** A phone call logged on the caller's ticket. */
@ObjectType()
@Entity('calls')
@Index('calls_tenant_provider_call_key', ['tenantId', 'provider', 'providerCallId'], { unique: true, where: 'provider_call_id IS NOT NULL' })
@Index('calls_tenant_customer_idx', ['tenantId', 'customerId', 'startedAt'])
@Index('calls_tenant_ticket_idx', ['tenantId', 'ticketId'])
@Check('calls_direction_check', `direction IN ('INBOUND','OUTBOUND')`)
@Check('calls_outcome_check', `outcome IN ('ANSWERED','MISSED','VOICEMAIL')`)
export class Call {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID)
  @Column('uuid')
  ticketId: string;

  @Field(() => ID)
  @Column('uuid')
  customerId: string;

  @Field(() => CallDirection)
  @Column('text')
  direction: CallDirection;

  @Field(() => CallOutcome)
  @Column('text')
  outcome: CallOutcome;

  @Field({ description: 'E.164.' })
  @Column('text')
  fromNumber: string;

  @Field({ description: 'E.164.' })
  @Column('text')
  toNumber: string;

  @Field()
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  endedAt: Date | null;

  @Field(() => Int)
  @Column('integer', { default: 0 })
  durationSeconds: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  recordingUrl: string | null;

  @Field(() => ID, { nullable: true, description: 'The agent who took or made the call.' })
  @Column('uuid', { nullable: true })
  agentId: string | null;

  @Field({ description: '"api" for POST /api/v1/calls, else the phone system that reported it.' })
  @Column('text', { default: 'api' })
  provider: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  providerCallId: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
