import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Column } from 'typeorm';

/**
 * Failed logins, by subject ("account:<tenant>:<email>" or "ip:<address>"), for throttling that
 * holds across app instances. Not tenant data: an IP is throttled across stores.
 */
@Entity('login_failures')
@Index('login_failures_subject_at_idx', ['subject', 'at'])
export class LoginFailure {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  subject: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}
