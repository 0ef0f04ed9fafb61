import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

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

  @Field()
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
