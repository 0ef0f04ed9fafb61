import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A store's own KPI goals (shares in [0, 1]); stores without a row use DEFAULT_KPI_GOALS. */
@Entity('kpi_goals')
@Check(
  'kpi_goals_range_check',
  'first_contact_resolution BETWEEN 0 AND 1 AND first_reply_sla BETWEEN 0 AND 1 AND next_reply_sla BETWEEN 0 AND 1 AND resolution_sla BETWEEN 0 AND 1 AND csat BETWEEN 0 AND 1',
)
export class KpiGoalsRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Column('double precision')
  firstContactResolution: number;

  @Column('double precision')
  firstReplySla: number;

  @Column('double precision')
  nextReplySla: number;

  @Column('double precision')
  resolutionSla: number;

  @Column('double precision')
  csat: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
