import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { conflict } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { CreateTeamInput } from './dto/create-team.input';
import { Team } from './entities/team.entity';

@Injectable()
export class TeamsService {
  constructor(private readonly db: TenantTransactions) {}

  async create(ctx: RequestContext, input: CreateTeamInput): Promise<Team> {
    const name = input.name.trim();
    if (await this.db.manager.existsBy(Team, { tenantId: ctx.tenantId, name })) throw conflict(`A team named "${name}" already exists`);
    return this.db.manager.save(this.db.manager.create(Team, { tenantId: ctx.tenantId, id: uuidv7(), name }));
  }

  list(ctx: RequestContext): Promise<Team[]> {
    return this.db.manager.find(Team, { where: { tenantId: ctx.tenantId }, order: { name: 'ASC', id: 'ASC' } });
  }

  byIds(tenantId: string, ids: readonly string[]): Promise<Team[]> {
    return this.db.manager.findBy(Team, { tenantId, id: In([...ids]) });
  }
}
