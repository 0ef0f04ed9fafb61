import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SlaTargetKindEnum } from './ticket-sla.types';

export enum SlaAlertKind {
  WARNING = 'WARNING',
  BREACHED = 'BREACHED',
}
registerEnumType(SlaAlertKind, { name: 'SlaAlertKind' });

@ObjectType()
export class SlaAlert {
  @Field(() => SlaAlertKind)
  kind: SlaAlertKind;

  @Field(() => ID)
  ticketId: string;

  @Field(() => Int)
  ticketNumber: number;

  @Field(() => SlaTargetKindEnum)
  target: SlaTargetKindEnum;

  @Field()
  dueAt: Date;

  @Field()
  at: Date;

  tenantId: string;
}
