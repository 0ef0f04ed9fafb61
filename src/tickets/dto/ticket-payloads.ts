import { Field, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/graphql/connection';
import { Message } from '../entities/message.entity';
import { Ticket } from '../entities/ticket.entity';

@ObjectType({
  description:
    'A page of tickets in the requested order (Relay cursor connection): ask for `first` (1–100) and pass `pageInfo.endCursor` as `after` for the next page. A cursor from another list or sort is BAD_USER_INPUT.',
})
export class TicketConnection extends ConnectionType(Ticket) {}

@ObjectType({ description: 'The stored message and the ticket as it is after the message (status, first response time and SLA facts updated).' })
export class AddMessagePayload {
  @Field(() => Message, { description: 'The message as stored (a repeat with the same externalId returns the first one).' })
  message: Message;

  @Field(() => Ticket, { description: 'The ticket after the message (a follow-up ticket when the original was closed).' })
  ticket: Ticket;
}
