import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLRequestContext } from '../common/graphql/loaders';
import { Ctx, RequestContext } from '../common/request-context';
import { AgentsService } from './agents.service';
import { Public, RequireActor, RequirePermission } from './auth.decorators';
import { AuthPayload, ChangePasswordInput, LoginInput, PasswordResetPayload, ResetPasswordInput } from './dto/session.types';
import { Agent, Availability } from './entities/agent.entity';
import { SessionsService } from './sessions.service';

@Resolver()
export class SessionsResolver {
  constructor(
    private readonly sessions: SessionsService,
    private readonly agentsService: AgentsService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Agent sign-in: a short-lived access token and a single-use refresh token.' })
  @Public()
  login(@Args('input') input: LoginInput, @Context() { req }: GraphQLRequestContext) {
    return this.sessions.login(input.tenant, input.email, input.password, req.ip);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for a new pair; a reused token signs the login out everywhere.' })
  @Public()
  refreshToken(@Args('refreshToken') refreshToken: string) {
    return this.sessions.refresh(refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token.' })
  @Public()
  async logout(@Args('refreshToken') refreshToken: string) {
    await this.sessions.logout(refreshToken);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Resets a password with a token from createPasswordReset; signs out every session.' })
  @Public()
  async resetPassword(@Args('input') input: ResetPasswordInput) {
    await this.sessions.resetPassword(input.token, input.newPassword);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Signs out every other session of this agent.' })
  @RequireActor('AGENT')
  async changePassword(@Ctx() ctx: RequestContext, @Args('input') input: ChangePasswordInput) {
    await this.sessions.changePassword(ctx, input.currentPassword, input.newPassword);
    return true;
  }

  @Mutation(() => PasswordResetPayload)
  @RequirePermission('admin')
  createPasswordReset(@Ctx() ctx: RequestContext, @Args('agentId', { type: () => ID }, ParseUUIDPipe) agentId: string) {
    return this.sessions.createPasswordReset(ctx, agentId);
  }

  @Query(() => Agent, { description: 'The signed-in agent.' })
  @RequireActor('AGENT')
  me(@Ctx() ctx: RequestContext) {
    return this.agentsService.get(ctx, ctx.actor.id!);
  }

  @Mutation(() => Agent)
  @RequireActor('AGENT')
  setMyAvailability(@Ctx() ctx: RequestContext, @Args('availability', { type: () => Availability }) availability: Availability) {
    return this.agentsService.update(ctx, ctx.actor.id!, { availability });
  }
}
