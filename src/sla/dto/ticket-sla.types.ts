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
registerEnumType(SlaTargetKindEnum, { name: 'SlaTargetKind' });
registerEnumType(SlaTargetStatusEnum, { name: 'SlaTargetStatus' });

@ObjectType('SlaTarget')
export class SlaTargetType {
  @Field(() => SlaTargetKindEnum)
  kind: SlaTargetKindEnum;

  @Field(() => SlaTargetStatusEnum)
  status: SlaTargetStatusEnum;

  @Field(() => SlaClockEnum)
  clock: SlaClockEnum;

  @Field()
  dueAt: Date;

  @Field(() => Int, { description: "Seconds left on the target's clock (business seconds for business targets); negative when overdue." })
  remainingSeconds: number;

  @Field({ description: 'The warning point has passed.' })
  warned: boolean;

  @Field(() => Date, { nullable: true })
  breachedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was answered or solved (also for a late answer).' })
  metAt: Date | null;
}

@ObjectType('TicketSla')
export class TicketSlaType {
  @Field(() => ID, { nullable: true })
  policyId: string | null;

  @Field(() => String, { nullable: true })
  policyName: string | null;

  @Field(() => SlaHealth)
  health: SlaHealth;

  @Field({ description: 'The clocks are stopped (e.g. waiting on the customer).' })
  paused: boolean;

  @Field(() => [SlaTargetType])
  targets: SlaTargetType[];
}
