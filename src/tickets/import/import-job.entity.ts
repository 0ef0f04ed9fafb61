import { Node } from '../../common/graphql/node';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numberColumn } from '../../common/database/number-transformer';

export enum ImportJobStatus {
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}
registerEnumType(ImportJobStatus, {
  valuesMap: {
    COMPLETED: { description: 'Read to the end; refused rows are in errors.' },
    FAILED: { description: 'Stopped part way; see failure. Running it again skips what was imported.' },
    RUNNING: { description: 'Reading the file now.' },
  },
  description: 'Where an import stands.',
  name: 'ImportJobStatus',
});

/** Errors kept per job; the count goes on beyond. */
export const MAX_KEPT_ERRORS = 1000;

@ObjectType({ implements: () => [Node], description: 'An import from another help desk (`npm run cli -- import <file>`), with its progress while it runs.' })
@Entity('import_jobs')
@Index('import_jobs_tenant_started_idx', ['tenantId', 'startedAt'])
@Check('import_jobs_status_check', `status IN ('RUNNING','COMPLETED','FAILED')`)
export class ImportJob {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id of the job (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'The help desk the file came from; today "zendesk".' })
  @Column('text')
  source: string;

  @Field({ description: "The imported file's name." })
  @Column('text')
  fileName: string;

  @Field({ description: 'The file format: "jsonl" or "csv".' })
  @Column('text')
  format: string;

  @Field(() => ImportJobStatus, { description: 'Whether the import runs, completed or failed.' })
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

  @Field(() => Int, { description: 'Tickets stored so far.' })
  @Column('integer', { default: 0 })
  ticketsImported: number;

  @Field(() => Int, { description: 'Already imported by an earlier run (same external id): left as they are.' })
  @Column('integer', { default: 0 })
  ticketsSkipped: number;

  @Field(() => Int, { description: 'Messages stored so far.' })
  @Column('integer', { default: 0 })
  messagesImported: number;

  @Field(() => Int, { description: 'User records read (customers found or created; agents by name).' })
  @Column('integer', { default: 0 })
  usersRead: number;

  @Field(() => Int, { description: 'Rows refused so far.' })
  @Column('integer', { default: 0 })
  errorCount: number;

  /** The first MAX_KEPT_ERRORS, as "line N: reason". */
  @Field(() => [String], { description: 'Rows that were not imported, as "line N: reason" (the first 1000).' })
  @Column('jsonb', { default: () => "'[]'" })
  errors: string[];

  @Field(() => String, { nullable: true, description: 'Why the whole job stopped (FAILED).' })
  @Column('text', { nullable: true })
  failure: string | null;

  @Field({ description: 'When the import started (ISO 8601 with offset, UTC).' })
  @Column('timestamptz')
  startedAt: Date;

  @Field(() => Date, { description: 'When the job completed or failed; null while running.', nullable: true })
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

  @Field({ description: 'When progress was last recorded (about every second while running).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
