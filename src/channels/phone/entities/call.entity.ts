import { Node } from '../../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export enum CallDirection {
  INBOUND = 'INBOUND',
  OUTBOUND = 'OUTBOUND',
}
registerEnumType(CallDirection, {
  valuesMap: { INBOUND: { description: 'The customer called the store.' }, OUTBOUND: { description: 'The store called the customer.' } },
  description: 'Who called whom.',
  name: 'CallDirection',
});

export enum CallOutcome {
  ANSWERED = 'ANSWERED',
  MISSED = 'MISSED',
  VOICEMAIL = 'VOICEMAIL',
}
registerEnumType(CallOutcome, {
  valuesMap: { ANSWERED: { description: 'Someone spoke with the customer.' }, MISSED: { description: 'Nobody answered.' }, VOICEMAIL: { description: 'The caller left a voicemail.' } },
  name: 'CallOutcome',
  description: 'A missed call or voicemail asks for a call back.',
});

/** A phone call logged on the caller's ticket. */
@ObjectType({ implements: () => [Node], description: "A phone call with a customer, logged on a ticket (by the phone system's webhook or POST /api/v1/calls)." })
@Entity('calls')
@Index('calls_tenant_provider_call_key', ['tenantId', 'provider', 'providerCallId'], { unique: true, where: 'provider_call_id IS NOT NULL' })
@Index('calls_tenant_customer_idx', ['tenantId', 'customerId', 'startedAt'])
@Index('calls_tenant_ticket_idx', ['tenantId', 'ticketId'])
@Check('calls_direction_check', `direction IN ('INBOUND','OUTBOUND')`)
@Check('calls_outcome_check', `outcome IN ('ANSWERED','MISSED','VOICEMAIL')`)
export class Call {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the call (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The ticket the call is logged on.' })
  @Column('uuid')
  ticketId: string;

  @Field(() => ID, { description: 'The customer called or calling, found by phone number.' })
  @Column('uuid')
  customerId: string;

  @Field(() => CallDirection, { description: 'Whether the customer called the store or the store called them.' })
  @Column('text')
  direction: CallDirection;

  @Field(() => CallOutcome, { description: 'How the call went; MISSED and VOICEMAIL ask for a call back.' })
  @Column('text')
  outcome: CallOutcome;

  @Field({ description: 'E.164.' })
  @Column('text')
  fromNumber: string;

  @Field({ description: 'E.164.' })
  @Column('text')
  toNumber: string;

  @Field({ description: 'When the call started ringing or was answered (ISO 8601 with offset, UTC).' })
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { description: 'When the call ended; null while unknown.', nullable: true })
  @Column('timestamptz', { nullable: true })
  endedAt: Date | null;

  @Field(() => Int, { description: 'Talk time in seconds (0 for missed calls).' })
  @Column('integer', { default: 0 })
  durationSeconds: number;

  @Field(() => String, { description: 'Link to the recording at the phone system, when there is one.', nullable: true })
  @Column('text', { nullable: true })
  recordingUrl: string | null;

  @Field(() => ID, { nullable: true, description: 'The agent who took or made the call.' })
  @Column('uuid', { nullable: true })
  agentId: string | null;

  @Field({ description: '"api" for POST /api/v1/calls, else the phone system that reported it.' })
  @Column('text', { default: 'api' })
  provider: string;

  @Field(() => String, { description: "The phone system's id of the call (e.g. Twilio's CallSid); a repeat with the same id updates the same call.", nullable: true })
  @Column('text', { nullable: true })
  providerCallId: string | null;

  @Field({ description: 'When the call was logged (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
