import { Field, Float, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/graphql/connection';
import { Ticket } from '../entities/ticket.entity';

@ObjectType({ description: 'A ticket found by searchTickets, with how well it matched and where.' })
export class TicketSearchResult {
  @Field(() => Ticket, { description: 'The matching ticket.' })
  ticket: Ticket;

  @Field(() => Float, { description: 'Relevance (higher is better); an exact ticket number match adds 1 and always comes first.' })
  score: number;

  @Field(() => String, { nullable: true, description: 'A snippet of the subject or a message around the match, HTML-escaped, matches in <mark>.' })
  highlight: string | null;

  /** Position in the ranked results, for the cursor. */
  position: number;
}

@ObjectType({ description: 'A page of search results, best match first (Relay cursor connection): ask for `first` (1–100) and pass `pageInfo.endCursor` as `after` for the next page.' })
export class TicketSearchResultConnection extends ConnectionType(TicketSearchResult) {}
