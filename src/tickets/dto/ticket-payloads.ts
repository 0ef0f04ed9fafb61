import { Field, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../common/graphql/connection';
import { Message } from '../entities/message.entity';
import { Ticket } from '../entities/ticket.entity';

@ObjectType()
export class TicketConnection extends ConnectionType(Ticket) {}

@ObjectType()
export class AddMessagePayload {
  @Field(() => Message)
  message: Message;

  @Field(() => Ticket, { description: 'The ticket after the message (a follow-up ticket when the original was closed).' })
  ticket: Ticket;
}
