import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { PublicRateLimit } from '../common/http/public-rate-limit';
import { CsatService, SurveyPageFacts } from './csat.service';
import { renderNotice, renderSurveyForm, renderThanks, SURVEY_PROBLEMS, SurveyLanguage, SurveyLook } from './survey-page';

/**
 * Pages only: nothing but this server's own HTML and the store's logo. Styles are inline (one
 * small page), forms post back here, and no script runs.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

function languageOf(asked: unknown, facts: Pick<SurveyPageFacts, 'language'> | null): SurveyLanguage {
  return asked === 'en' || asked === 'ar' ? asked : (facts?.language ?? 'ar');
}

function lookOf(facts: SurveyPageFacts): SurveyLook {
  return { storeName: facts.storeName, logoUrl: facts.logoUrl, accentColor: facts.accentColor };
}

/** A whole number in [min, max] from a form field, or null. */
function wholeNumber(value: unknown, min: number, max: number): number | null {
  if (typeof value !== 'string' || !/^\s*\d{1,2}\s*$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/**
 * The survey page a customer opens from the link in the survey message (`/survey/<token>`): the
 * store's name and logo, the ticket's number and subject, five rating buttons that record the
 * rating with one tap (form posts), then an optional comment and 0–10 "would you recommend us".
 * Used, expired and unknown tokens get a page in the same style, never JSON. The JSON endpoints
 * for integrators stay at /api/v1/csat/<token>.
 */
@ApiExcludeController()
@Controller('survey')
export class SurveyPageController {
  constructor(
    private readonly csat: CsatService,
    private readonly rateLimit: PublicRateLimit,
  ) {}

  @Get(':token')
  @Public()
  async show(@Param('token') token: string, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.rateLimit.take(request.ip)) return this.send(reply, 429, renderNotice('RATE_LIMITED', languageOf(query.lang, null), null));
    const facts = await this.factsOr404(token, query.lang, reply);
    if (!facts) return;
    const language = languageOf(query.lang, facts);
    if (facts.state === 'OPEN') {
      const preselected = wholeNumber(query.rating, 1, 5);
      return this.send(reply, 200, renderSurveyForm({ token, language, look: lookOf(facts), ticketNumber: facts.ticketNumber, subject: facts.subject, preselected, problem: null }));
    }
    if (facts.state === 'ANSWERED' && (facts.detailsOpen || query.saved === '1')) {
      return this.send(
        reply,
        200,
        renderThanks({ token, language, look: lookOf(facts), rating: facts.rating ?? 5, detailsOpen: facts.detailsOpen, detailsSaved: query.saved === '1' && !facts.detailsOpen, problem: null }),
      );
    }
    return this.send(reply, 200, renderNotice(facts.state === 'ANSWERED' ? 'ANSWERED' : 'EXPIRED', language, lookOf(facts)));
  }

  /** One tap: the rating button's form post. Then back to the page (thanks, and the optional questions). */
  @Post(':token')
  @Public()
  @HttpCode(200)
  async rate(@Param('token') token: string, @Query() query: Record<string, unknown>, @Body() body: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.rateLimit.take(request.ip)) return this.send(reply, 429, renderNotice('RATE_LIMITED', languageOf(query.lang, null), null));
    const facts = await this.factsOr404(token, query.lang, reply);
    if (!facts) return;
    const language = languageOf(query.lang, facts);
    const rating = wholeNumber(body?.rating, 1, 5);
    if (facts.state !== 'OPEN') return this.send(reply, 409, renderNotice(facts.state === 'ANSWERED' ? 'ANSWERED' : 'EXPIRED', language, lookOf(facts)));
    if (rating === null) {
      const form = renderSurveyForm({
        token,
        language,
        look: lookOf(facts),
        ticketNumber: facts.ticketNumber,
        subject: facts.subject,
        preselected: null,
        problem: SURVEY_PROBLEMS.badRating(language),
      });
      return this.send(reply, 400, form);
    }
    try {
      await this.csat.answer(token, { rating });
    } catch (error) {
      // Answered or expired between the look-up and the answer (another tab, another tap).
      if (error instanceof DomainError && error.code === 'CONFLICT') return this.send(reply, 409, renderNotice('ANSWERED', language, lookOf(facts)));
      throw error;
    }
    return reply
      .status(303)
      .header('location', `/survey/${encodeURIComponent(token)}?lang=${language}`)
      .send();
  }

  /** The optional comment and 0–10 answer, once, after the rating. */
  @Post(':token/details')
  @Public()
  @HttpCode(200)
  async details(@Param('token') token: string, @Query() query: Record<string, unknown>, @Body() body: Record<string, unknown> | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.rateLimit.take(request.ip)) return this.send(reply, 429, renderNotice('RATE_LIMITED', languageOf(query.lang, null), null));
    const facts = await this.factsOr404(token, query.lang, reply);
    if (!facts) return;
    const language = languageOf(query.lang, facts);
    if (facts.state === 'OPEN')
      return reply
        .status(303)
        .header('location', `/survey/${encodeURIComponent(token)}?lang=${language}`)
        .send();
    if (!facts.detailsOpen) return this.send(reply, 409, renderNotice(facts.state === 'ANSWERED' ? 'ANSWERED' : 'EXPIRED', language, lookOf(facts)));
    const nps = body?.nps === undefined || body.nps === '' ? null : wholeNumber(body.nps, 0, 10);
    const comment = typeof body?.comment === 'string' ? body.comment.trim() : '';
    if ((body?.nps !== undefined && body.nps !== '' && nps === null) || comment.length > 2000 || (body?.comment !== undefined && typeof body.comment !== 'string')) {
      const page = renderThanks({ token, language, look: lookOf(facts), rating: facts.rating ?? 5, detailsOpen: true, detailsSaved: false, problem: SURVEY_PROBLEMS.badDetails(language) });
      return this.send(reply, 400, page);
    }
    if (nps !== null || comment) {
      try {
        await this.csat.addDetails(token, { comment: comment || null, nps });
      } catch (error) {
        if (error instanceof DomainError && error.code === 'CONFLICT') return this.send(reply, 409, renderNotice('ANSWERED', language, lookOf(facts)));
        throw error;
      }
    }
    return reply
      .status(303)
      .header('location', `/survey/${encodeURIComponent(token)}?lang=${language}&saved=1`)
      .send();
  }

  /** The page's facts; an unknown or forged token answers 404 with the friendly page. */
  private async factsOr404(token: string, lang: unknown, reply: FastifyReply): Promise<SurveyPageFacts | null> {
    try {
      return await this.csat.pageFacts(token);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') {
        this.send(reply, 404, renderNotice('UNKNOWN', languageOf(lang, null), null));
        return null;
      }
      throw error;
    }
  }

  private send(reply: FastifyReply, status: number, page: string) {
    return reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page);
  }
}
