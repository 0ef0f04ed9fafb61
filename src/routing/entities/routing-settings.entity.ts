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

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
