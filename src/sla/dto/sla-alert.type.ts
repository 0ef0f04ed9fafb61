import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { SlaTargetKindEnum } from './ticket-sla.types';

export enum SlaAlertKind {
  WARNING = 'WARNING',
  BREACHED = 'BREACHED',
}
registerEnumType(SlaAlertKind, {
  valuesMap: { BREACHED: { description: 'The target is overdue; escalation actions ran once.' }, WARNING: { description: "The policy's warning point (warnAtPercent of the target) has passed." } },
  description: 'What an SLA alert says.',
  name: 'SlaAlertKind',
});

@ObjectType({ description: 'A ticket reached the warning point or breached one of its SLA targets.' })
export class SlaAlert {
  @Field(() => SlaAlertKind, { description: 'WARNING or BREACHED.' })
  kind: SlaAlertKind;

  @Field(() => ID, { description: 'The ticket.' })
  ticketId: string;

  @Field(() => Int, { description: "The ticket's number, for display." })
  ticketNumber: number;

  @Field(() => SlaTargetKindEnum, { description: 'Which target.' })
  target: SlaTargetKindEnum;

  @Field({ description: 'When the target is or was due.' })
  dueAt: Date;

  @Field({ description: 'When the alert fired (ISO 8601 with offset, UTC).' })
  at: Date;

  tenantId: string;
}
