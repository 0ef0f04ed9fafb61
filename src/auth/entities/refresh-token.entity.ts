import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One refresh token (stored as a hash). Tokens rotate on every use; a family shares the id of the
 * first login, so presenting an already-rotated token revokes the whole family (token theft).
 */
@Entity('refresh_tokens')
@Index('refresh_tokens_tenant_hash_key', ['tenantId', 'tokenHash'], { unique: true })
@Index('refresh_tokens_tenant_family_idx', ['tenantId', 'familyId'])
export class RefreshToken {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  agentId: string;

  @Column('uuid')
  familyId: string;

  @Column('bytea')
  tokenHash: Buffer;

  @Column('timestamptz')
  expiresAt: Date;

  @Column('timestamptz', { nullable: true })
  usedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
