import { Node } from '../../common/graphql/node';
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

registerEnumType(AgentRole, {
  valuesMap: {
    ADMIN: { description: 'Everything: tickets, KPIs, agents, teams, keys, settings (scopes tickets:read, tickets:write, kpis:read, admin, customer-tokens:create).' },
    AGENT: { description: 'Reads and answers tickets (scopes tickets:read, tickets:write).' },
    SUPERVISOR: { description: 'An agent who also reads KPIs and scorecards (scopes tickets:read, tickets:write, kpis:read); takes VIP tickets on teams with vipToSeniors.' },
  },
  description: 'The role of a person who signs in; decides their scopes (see the README\'s "Roles and scopes").',
  name: 'AgentRole',
});
registerEnumType(Availability, {
  valuesMap: {
    AWAY: { description: 'Signed in but not taking new tickets (a break); keeps current ones.' },
    OFFLINE: { description: 'Not working; on teams with reassignOnOffline their NEW and OPEN tickets go back to the team.' },
    ONLINE: { description: 'Taking new tickets; counts as staffing live chat.' },
  },
  description: 'Whether an agent takes new tickets now.',
  name: 'Availability',
});

@ObjectType({ implements: () => [Node], description: 'A person answering customers.' })
@Entity('agents')
@Index('agents_tenant_email_key', ['tenantId', 'email'], { unique: true })
@Check('agents_role_check', `role IN ('admin','supervisor','agent')`)
@Check('agents_availability_check', `availability IN ('ONLINE','AWAY','OFFLINE')`)
@Check('agents_capacity_check', 'capacity >= 0')
export class Agent {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the agent (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'Display name, shown to colleagues and, on replies, to customers.' })
  @Column('text')
  name: string;

  @Field({ description: 'Lower-case; unique within the store; the login name.' })
  @Column('text')
  email: string;

  @Field(() => AgentRole, { description: 'What the agent may do; see AgentRole.' })
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

  @Field(() => Availability, { description: 'Whether the agent takes new tickets now: ONLINE agents are assigned, AWAY and OFFLINE are skipped by automatic assignment.' })
  @Column('text', { default: Availability.OFFLINE })
  availability: Availability;

  @Field({ description: 'Deactivated agents cannot log in and keep their history.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  passwordHash: string | null;

  @Field({ description: 'When the agent was added (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: "When the agent's record last changed (ISO 8601 with offset, UTC)." })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
