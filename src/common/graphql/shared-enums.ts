import { registerEnumType } from '@nestjs/graphql';
import { TicketCategory } from '../ticket-category';

/** GraphQL names of the enums that more than one module's types use. */
registerEnumType(TicketCategory, { name: 'TicketCategory' });
