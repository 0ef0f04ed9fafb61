import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import '../../tickets/graphql-enums';
import { SlaHealth } from '../../tickets/ticket-enums';
import { SlaClockEnum } from './sla.types';

export enum SlaTargetKindEnum {
  FIRST_RESPONSE = 'FIRST_RESPONSE',
  NEXT_RESPONSE = 'NEXT_RESPONSE',
  RESOLUTION = 'RESOLUTION',
}
export enum SlaTargetStatusEnum {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  MET = 'MET',
  BREACHED = 'BREACHED',
}
registerEnumType(SlaTargetKindEnum, {
  valuesMap: {
    FIRST_RESPONSE: { description: 'Creation to the first public agent reply.' },
    NEXT_RESPONSE: { description: 'A customer message after an answer to the next public agent reply.' },
    RESOLUTION: { description: 'Creation to solved.' },
  },
  description: 'The kinds of SLA target.',
  name: 'SlaTargetKind',
});
registerEnumType(SlaTargetStatusEnum, {
  valuesMap: {
    ACTIVE: { description: 'The clock runs.' },
    BREACHED: { description: 'Overdue.' },
    MET: { description: 'Done in time.' },
    PAUSED: { description: 'The clock is stopped (ticket PENDING or ON_HOLD).' },
  },
  description: 'Where an SLA target stands.',
  name: 'SlaTargetStatus',
});

@ObjectType('SlaTarget', { description: 'One SLA target of a ticket and where it stands.' })
export class SlaTargetType {
  @Field(() => SlaTargetKindEnum, { description: 'Which target.' })
  kind: SlaTargetKindEnum;

  @Field(() => SlaTargetStatusEnum, { description: 'Running, paused, met or breached.' })
  status: SlaTargetStatusEnum;

  @Field(() => SlaClockEnum, { description: 'Calendar time or business hours.' })
  clock: SlaClockEnum;

  @Field({ description: 'When it is due (ISO 8601 with offset, UTC); moves while the clock is paused.' })
  dueAt: Date;

  @Field(() => Int, { description: "Seconds left on the target's clock (business seconds for business targets); negative when overdue." })
  remainingSeconds: number;

  @Field({ description: 'The warning point has passed.' })
  warned: boolean;

  @Field(() => Date, { description: 'When it was breached; null unless breached.', nullable: true })
  breachedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was answered or solved (also for a late answer).' })
  metAt: Date | null;
}

@ObjectType('TicketSla', { description: 'The SLA policy applied to a ticket and each of its targets.' })
export class TicketSlaType {
  @Field(() => ID, { description: 'The policy applied; null when none matched.', nullable: true })
  policyId: string | null;

  @Field(() => String, { description: "The policy's name; null when none matched.", nullable: true })
  policyName: string | null;

  @Field(() => SlaHealth, { description: 'The worst state of its targets.' })
  health: SlaHealth;

  @Field({ description: 'The clocks are stopped (e.g. waiting on the customer).' })
  paused: boolean;

  @Field(() => [SlaTargetType], { description: 'Each target of the policy and where it stands.' })
  targets: SlaTargetType[];
}
