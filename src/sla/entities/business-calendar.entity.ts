import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DateRange, HoursOverride, TimeRange, Weekday } from '../business-hours';

/** The store's opening hours; one per store for now (policies could later name their own). */
@Entity('business_calendars')
@Index('business_calendars_tenant_key', ['tenantId'], { unique: true })
export class BusinessCalendarRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  timeZone: string;

  @Column('jsonb')
  weekly: Partial<Record<Weekday, TimeRange[]>>;

  @Column('jsonb', { default: () => "'[]'" })
  holidays: DateRange[];

  @Column('jsonb', { default: () => "'[]'" })
  overrides: HoursOverride[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
