import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PriorityPolicy } from '../routing-decision';

/** Per store: where unmatched tickets go, and how priority is computed. */
@Entity('routing_settings')
export class RoutingSettingsRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Column('uuid', { nullable: true })
  defaultTeamId: string | null;

  @Column('jsonb')
  priorityPolicy: PriorityPolicy;

  /** A customer's new message joins their open ticket of the same category updated within this many hours (0: never). */
  @Column('integer', { default: 72 })
  continuityWindowHours: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
