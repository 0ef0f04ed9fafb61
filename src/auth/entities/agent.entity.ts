import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../../common/graphql/shared-enums';
import { TicketCategory } from '../../common/ticket-category';

export enum AgentRole {
  ADMIN = 'admin',
  SUPERVISOR = 'supervisor',
  AGENT = 'agent',
}

export enum Availability {
  ONLINE = 'ONLINE',
  AWAY = 'AWAY',
  OFFLINE = 'OFFLINE',
}

registerEnumType(AgentRole, { name: 'AgentRole' });
registerEnumType(Availability, { name: 'Availability' });

@ObjectType({ description: 'A person answering customers.' })
@Entity('agents')
@Index('agents_tenant_email_key', ['tenantId', 'email'], { unique: true })
@Check('agents_role_check', `role IN ('admin','supervisor','agent')`)
@Check('agents_availability_check', `availability IN ('ONLINE','AWAY','OFFLINE')`)
@Check('agents_capacity_check', 'capacity >= 0')
export class Agent {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field({ description: 'Lower-case; unique within the store; the login name.' })
  @Column('text')
  email: string;

  @Field(() => AgentRole)
  @Column('text', { default: AgentRole.AGENT })
  role: AgentRole;

  @Field(() => [String], { description: 'Languages spoken, e.g. ["ar", "en"].' })
  @Column('text', { array: true, default: () => "'{ar}'" })
  languages: string[];

  @Field(() => [TicketCategory], { description: 'Categories this agent handles.' })
  @Column('text', { array: true, default: () => "'{}'" })
  skills: TicketCategory[];

  @Field(() => Int, { description: 'Most open tickets this agent should hold at once.' })
  @Column('integer', { default: 10 })
  capacity: number;

  @Field(() => Availability)
  @Column('text', { default: Availability.OFFLINE })
  availability: Availability;

  @Field({ description: 'Deactivated agents cannot log in and keep their history.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  passwordHash: string | null;

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
