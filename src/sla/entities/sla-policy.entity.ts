import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PolicyConditions, TargetSpec } from '../sla-policy';

export interface EscalationActions {
  /** Raise the priority one step (up to URGENT). */
  raisePriority: boolean;
  /** Assign the ticket to its team's lead. */
  reassignToLead: boolean;
  /** Add this tag. */
  addTag: string | null;
}

@Entity('sla_policies')
@Index('sla_policies_tenant_position_idx', ['tenantId', 'position'])
@Check('sla_policies_warn_check', 'warn_at_percent BETWEEN 1 AND 99')
export class SlaPolicyRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('integer')
  position: number;

  @Column('jsonb', { default: () => "'{}'" })
  conditions: PolicyConditions;

  @Column('jsonb', { nullable: true })
  firstResponse: TargetSpec | null;

  @Column('jsonb', { nullable: true })
  nextResponse: TargetSpec | null;

  @Column('jsonb', { nullable: true })
  resolution: TargetSpec | null;

  @Column('smallint', { default: 80 })
  warnAtPercent: number;

  @Column('text', { array: true, default: () => "'{PENDING}'" })
  pauseWhile: string[];

  @Column('jsonb')
  escalation: EscalationActions;

  @Column('boolean', { default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
