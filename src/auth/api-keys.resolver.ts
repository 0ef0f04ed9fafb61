import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { TenantTransactions } from '../common/database/tenant-transactions';
import { notFound } from '../common/errors/domain-error';
import { Ctx, RequestContext, Role } from '../common/request-context';
import { RequirePermission } from './auth.decorators';
import { AuthService } from './auth.service';
import { CreateApiKeyInput, CreatedApiKey, CustomerToken, CustomerTokenOptions } from './dto/api-key.types';
import { ApiKey } from './entities/api-key.entity';
import { TokensService } from './tokens.service';

@Resolver(() => ApiKey)
export class ApiKeysResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly db: TenantTransactions,
  ) {}

  @Query(() => [ApiKey], { description: "The store's keys (prefix only, never the secret). Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN." })
  @RequirePermission('admin')
  apiKeys(@Ctx() ctx: RequestContext) {
    return this.auth.listApiKeys(ctx.tenantId);
  }

  @Mutation(() => CreatedApiKey, {
    description: 'Creates an API key for a system; the secret is in the answer once and never again. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequirePermission('admin')
  createApiKey(@Ctx() ctx: RequestContext, @Args('input', { description: 'Name, role and optionally narrower scopes.' }) input: CreateApiKeyInput) {
    return this.auth.createApiKey(ctx.tenantId, input.role as Role, input.name.trim(), input.scopes);
  }

  @Mutation(() => CreatedApiKey, {
    description: 'A new secret with the same name, role and scopes; the old one stops working. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  rotateApiKey(@Ctx() ctx: RequestContext, @Args('id', { description: 'The key to replace.', type: () => ID }, ParseUUIDPipe) id: string) {
    return this.auth.rotateApiKey(ctx.tenantId, id);
  }

  @Mutation(() => Boolean, {
    description:
      'Revokes an API key at once; requests with it are UNAUTHENTICATED from then on. Returns the key. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  async revokeApiKey(@Ctx() ctx: RequestContext, @Args('id', { description: 'The key.', type: () => ID }, ParseUUIDPipe) id: string) {
    await this.auth.revokeApiKey(ctx.tenantId, id);
    return true;
  }

  @Mutation(() => CustomerToken, {
    description:
      'A signed token with which one customer sees and answers only their own tickets. Needs the `customer-tokens:create` scope (roles: admin, integration). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT.',
  })
  @RequirePermission('customer-tokens:create')
  async createCustomerToken(
    @Ctx() ctx: RequestContext,
    @Args('customerId', { description: 'The customer (NOT_FOUND when not in the store).', type: () => ID }, ParseUUIDPipe) customerId: string,
    @Args('options', { description: 'Lifetime of the token; one hour unless given.', nullable: true }) options?: CustomerTokenOptions,
  ) {
    const [customer] = await this.db.read(ctx, (m) => m.query(`SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2`, [ctx.tenantId, customerId]));
    if (!customer) throw notFound('Customer', customerId);
    return this.tokens.signCustomer(ctx.tenantId, customerId, options?.ttlSeconds ?? 3600);
  }
}
