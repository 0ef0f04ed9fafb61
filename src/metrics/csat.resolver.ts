import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { byKeys, GraphQLRequestContext } from '../common/graphql/loaders';
import { PublicRateLimit } from '../common/http/public-rate-limit';
import { Ticket } from '../tickets/entities/ticket.entity';
import { CsatService } from './csat.service';
import { CsatAnswerInput, CsatSurveyInfo } from './dto/csat.types';
import { CsatSurvey } from './entities/csat-survey.entity';

@Resolver(() => Ticket)
export class TicketCsatResolver {
  constructor(private readonly csat: CsatService) {}

  @ResolveField(() => CsatSurveyInfo, { nullable: true, description: 'The latest satisfaction survey (sent when the ticket is solved).' })
  async csatSurvey(@Parent() ticket: Ticket, @Context() { loaders }: GraphQLRequestContext): Promise<CsatSurveyInfo | null> {
    const survey = await loaders
      .get<string, CsatSurvey | null>('csatByTicket', async (ids) => byKeys(ids, await this.csat.latestFor(loaders.scope(ticket.tenantId), ids), (s) => s.ticketId))
      .load(ticket.id);
    return survey && this.csat.infoOf(survey);
  }
}

@Resolver()
export class CsatResolver {
  constructor(
    private readonly csat: CsatService,
    private readonly rateLimit: PublicRateLimit,
  ) {}

  @Mutation(() => Boolean, {
    description: "A customer's answer to a satisfaction survey; no login, the token is the credential. Open to anyone, no credential needed. Errors: BAD_USER_INPUT, NOT_FOUND.",
  })
  @Public()
  async answerCsatSurvey(
    @Args('token', { description: 'The answer token from the survey link.' }) token: string,
    @Args('input', { description: 'The rating and optional NPS and comment.' }) input: CsatAnswerInput,
    @Context() { req }: GraphQLRequestContext,
  ) {
    // Public like the survey page, and limited the same way, per client address.
    if (!this.rateLimit.take(req.ip)) throw new DomainError('RATE_LIMITED', 'Too many survey requests from this address; wait a minute and try again');
    await this.csat.answer(token, input);
    return true;
  }
}
