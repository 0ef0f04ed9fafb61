import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numberColumn } from '../../common/database/number-transformer';

export enum ImportJobStatus {
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(ImportJobStatus, { name: 'ImportJobStatus' });

/** Errors kept per job; the count goes on beyond. */
export const MAX_KEPT_ERRORS = 1000;

@ObjectType({ description: 'An import from another help desk (`npm run cli -- import <file>`), with its progress while it runs.' })
@Entity('import_jobs')
@Index('import_jobs_tenant_started_idx', ['tenantId', 'startedAt'])
@Check('import_jobs_status_check', `status IN ('RUNNING','COMPLETED','FAILED')`)
export class ImportJob {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'zendesk' })
  @Column('text')
  source: string;

  @Field()
  @Column('text')
  fileName: string;

  @Field({ description: 'jsonl or csv' })
  @Column('text')
  format: string;

  @Field(() => ImportJobStatus)
  @Column('text')
  status: ImportJobStatus;

  @Field(() => Float, { description: 'Size of the file in bytes.' })
  @Column('bigint', { transformer: numberColumn })
  bytesTotal: number;

  @Field(() => Float, { description: 'How far reading has got, in bytes.' })
  @Column('bigint', { default: 0, transformer: numberColumn })
  bytesRead: number;

  @Field(() => Float, { description: '0–1, by bytes read.' })
  get progress(): number {
    return this.bytesTotal > 0 ? Math.min(1, this.bytesRead / this.bytesTotal) : 1;
  }

  @Field(() => Int)
  @Column('integer', { default: 0 })
  ticketsImported: number;

  @Field(() => Int, { description: 'Already imported by an earlier run (same external id): left as they are.' })
  @Column('integer', { default: 0 })
  ticketsSkipped: number;

  @Field(() => Int)
  @Column('integer', { default: 0 })
  messagesImported: number;

  @Field(() => Int, { description: 'User records read (customers found or created; agents by name).' })
  @Column('integer', { default: 0 })
  usersRead: number;

  @Field(() => Int)
  @Column('integer', { default: 0 })
  errorCount: number;

  /** The first MAX_KEPT_ERRORS, as "line N: reason". */
  @Field(() => [String], { description: 'Rows that were not imported, as "line N: reason" (the first 1000).' })
  @Column('jsonb', { default: () => "'[]'" })
  errors: string[];

  @Field(() => String, { nullable: true, description: 'Why the whole job stopped (FAILED).' })
  @Column('text', { nullable: true })
  failure: string | null;

  @Field()
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { nullable: true })
  finishedAt: Date | null;

  @Field(() => Float, { nullable: true, description: 'Tickets imported or skipped per second so far.' })
  get ticketsPerSecond(): number | null {
    const seconds = ((this.finishedAt ?? this.updatedAt).getTime() - this.startedAt.getTime()) / 1000;
    return seconds > 0 ? Math.round(((this.ticketsImported + this.ticketsSkipped) / seconds) * 10) / 10 : null;
  }

  @Field(() => Int, { nullable: true, description: 'Seconds left at the current rate (by bytes), while running.' })
  get etaSeconds(): number | null {
    if (this.status !== ImportJobStatus.RUNNING || this.bytesRead === 0) return null;
    const elapsed = (this.updatedAt.getTime() - this.startedAt.getTime()) / 1000;
    return Math.round((elapsed * (this.bytesTotal - this.bytesRead)) / this.bytesRead);
  }

  @Field()
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
