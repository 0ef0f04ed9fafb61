import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import '../../tickets/graphql-enums';
import { TicketCategory } from '../../tickets/ticket-enums';

export enum AssignmentStrategyEnum {
  ROUND_ROBIN = 'ROUND_ROBIN',
  LEAST_LOADED = 'LEAST_LOADED',
  MANUAL = 'MANUAL',
}
registerEnumType(AssignmentStrategyEnum, {
  valuesMap: {
    LEAST_LOADED: { description: 'The online member with the fewest open tickets under their capacity.' },
    MANUAL: { description: 'No automatic assignment; tickets wait in the team queue.' },
    ROUND_ROBIN: { description: 'Online members in turn.' },
  },
  name: 'AssignmentStrategy',
  description: 'ROUND_ROBIN: in turn; LEAST_LOADED: fewest open tickets; MANUAL: tickets wait for someone to take them.',
});

@ObjectType({ implements: () => [Node], description: 'A group of agents owning a kind of ticket (payments, shipping …).' })
@Entity('teams')
@Check('teams_assignment_strategy_check', `assignment_strategy IN ('ROUND_ROBIN','LEAST_LOADED','MANUAL')`)
@Index('teams_tenant_name_key', ['tenantId', 'name'], { unique: true })
export class Team {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Unique within the store.' })
  @Column('text')
  name: string;

  @Column('uuid', { nullable: true })
  leadId: string | null;

  @Field(() => [TicketCategory], { description: 'Categories this team owns.' })
  @Column('text', { array: true, default: () => "'{}'" })
  categories: TicketCategory[];

  @Field(() => AssignmentStrategyEnum, { description: 'How the team hands out tickets.' })
  @Column('text', { default: AssignmentStrategyEnum.MANUAL })
  assignmentStrategy: AssignmentStrategyEnum;

  @Field({ description: 'VIP tickets only to supervisors and admins.' })
  @Column('boolean', { default: false })
  vipToSeniors: boolean;

  @Field({ description: "Hand an agent's NEW and OPEN tickets back to the team when they go OFFLINE." })
  @Column('boolean', { default: false })
  reassignOnOffline: boolean;

  /** Round robin's position: the agent who got the previous ticket. */
  @Column('uuid', { nullable: true })
  lastAssignedAgentId: string | null;

  @Field({ description: 'When it was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
