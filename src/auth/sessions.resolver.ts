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

  @Mutation(() => AuthPayload, {
    description: 'Agent sign-in: a short-lived access token and a single-use refresh token. Open to anyone, no credential needed. Errors: BAD_USER_INPUT, UNAUTHENTICATED, RATE_LIMITED.',
  })
  @Public()
  login(@Args('input', { description: "The store's slug, the agent's email and password." }) input: LoginInput, @Context() { req }: GraphQLRequestContext) {
    return this.sessions.login(input.tenant, input.email, input.password, req.ip);
  }

  @Mutation(() => AuthPayload, {
    description: 'Exchanges a refresh token for a new pair; a reused token signs the login out everywhere. Open to anyone, no credential needed. Errors: UNAUTHENTICATED.',
  })
  @Public()
  refreshToken(@Args('refreshToken', { description: 'The single-use refresh token from login or the previous refresh.' }) refreshToken: string) {
    return this.sessions.refresh(refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session of this refresh token. Open to anyone, no credential needed.' })
  @Public()
  async logout(@Args('refreshToken', { description: 'The refresh token of the session to end.' }) refreshToken: string) {
    await this.sessions.logout(refreshToken);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Resets a password with a token from createPasswordReset; signs out every session. Open to anyone, no credential needed. Errors: BAD_USER_INPUT.' })
  @Public()
  async resetPassword(@Args('input', { description: 'The reset token and the new password.' }) input: ResetPasswordInput) {
    await this.sessions.resetPassword(input.token, input.newPassword);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Signs out every other session of this agent. Only for a signed-in agent (an agent access token), on their own account. Errors: UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT.',
  })
  @RequireActor('AGENT')
  async changePassword(@Ctx() ctx: RequestContext, @Args('input', { description: 'The current password and the new one.' }) input: ChangePasswordInput) {
    await this.sessions.changePassword(ctx, input.currentPassword, input.newPassword);
    return true;
  }

  @Mutation(() => PasswordResetPayload, {
    description:
      'A single-use password reset token for an agent, valid for a limited time; hand it over out of band. Needs the `admin` scope (roles: admin). Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND.',
  })
  @RequirePermission('admin')
  createPasswordReset(@Ctx() ctx: RequestContext, @Args('agentId', { description: 'The agent.', type: () => ID }, ParseUUIDPipe) agentId: string) {
    return this.sessions.createPasswordReset(ctx, agentId);
  }

  @Query(() => Agent, { description: 'The signed-in agent. Only for a signed-in agent (an agent access token), on their own account. Errors: UNAUTHENTICATED, FORBIDDEN.' })
  @RequireActor('AGENT')
  me(@Ctx() ctx: RequestContext) {
    return this.agentsService.get(ctx, ctx.actor.id!);
  }

  @Mutation(() => Agent, {
    description:
      "Sets the signed-in agent's availability (ONLINE takes new tickets; OFFLINE may hand back open tickets, see Team.reassignOnOffline). Returns the agent. Only for a signed-in agent (an agent access token), on their own account. Errors: UNAUTHENTICATED, FORBIDDEN.",
  })
  @RequireActor('AGENT')
  setMyAvailability(@Ctx() ctx: RequestContext, @Args('availability', { description: 'ONLINE, AWAY or OFFLINE.', type: () => Availability }) availability: Availability) {
    return this.agentsService.update(ctx, ctx.actor.id!, { availability });
  }
}
