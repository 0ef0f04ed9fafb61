import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** "These words mean this category": evaluated in order on new tickets without a category. */
@Entity('routing_rules')
@Index('routing_rules_tenant_position_idx', ['tenantId', 'position'])
export class RoutingRuleRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('integer')
  position: number;

  @Column('text')
  category: string;

  @Column('text', { array: true })
  phrases: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  channels: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  tiers: string[];

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
