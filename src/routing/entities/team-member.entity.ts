import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity('team_members')
@Index('team_members_tenant_agent_idx', ['tenantId', 'agentId'])
export class TeamMember {
  @PrimaryColumn('uuid')
  tenantId: string;

  @PrimaryColumn('uuid')
  teamId: string;

  @PrimaryColumn('uuid')
  agentId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
