import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { conflict } from '../common/errors/domain-error';
import type { RequestContext } from '../common/request-context';
import { CreateAgentInput } from './dto/create-agent.input';
import { Agent } from './entities/agent.entity';

@Injectable()
export class AgentsService {
  constructor(private readonly db: TenantTransactions) {}

  async create(ctx: RequestContext, input: CreateAgentInput): Promise<Agent> {
    const email = input.email.trim().toLowerCase();
    if (await this.db.manager.existsBy(Agent, { tenantId: ctx.tenantId, email })) {
      throw conflict(`An agent with email ${email} already exists`);
    }
    const agent = this.db.manager.create(Agent, { tenantId: ctx.tenantId, id: uuidv7(), name: input.name.trim(), email });
    return this.db.manager.save(agent);
  }

  list(ctx: RequestContext): Promise<Agent[]> {
    return this.db.manager.find(Agent, { where: { tenantId: ctx.tenantId }, order: { name: 'ASC', id: 'ASC' } });
  }

  byIds(tenantId: string, ids: readonly string[]): Promise<Agent[]> {
    return this.db.manager.findBy(Agent, { tenantId, id: In([...ids]) });
  }
}
