import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import '../../tickets/graphql-enums';
import { TicketCategory } from '../../tickets/ticket-enums';

@ObjectType({ description: 'A group of agents owning a kind of ticket (payments, shipping …).' })
@Entity('teams')
@Index('teams_tenant_name_key', ['tenantId', 'name'], { unique: true })
export class Team {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Column('uuid', { nullable: true })
  leadId: string | null;

  @Field(() => [TicketCategory], { description: 'Categories this team owns.' })
  @Column('text', { array: true, default: () => "'{}'" })
  categories: TicketCategory[];

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
