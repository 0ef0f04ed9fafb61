import { registerEnumType } from '@nestjs/graphql';
import '../common/graphql/shared-enums';
import { AuthorType, Channel, CustomerTier, DeliveryStatus, IdentityKind, SlaHealth, TicketEventType, TicketPriority, TicketStatus } from './ticket-enums';

registerEnumType(TicketStatus, { name: 'TicketStatus', description: 'NEW → OPEN ⇄ PENDING/ON_HOLD → SOLVED → CLOSED' });
registerEnumType(TicketPriority, { name: 'TicketPriority' });
registerEnumType(Channel, { name: 'Channel' });
registerEnumType(AuthorType, { name: 'AuthorType' });
registerEnumType(IdentityKind, { name: 'IdentityKind' });
registerEnumType(CustomerTier, { name: 'CustomerTier' });
registerEnumType(TicketEventType, { name: 'TicketEventType' });
registerEnumType(SlaHealth, { name: 'SlaHealth', description: 'BREACHED: a target passed unanswered; AT_RISK: a running target passed its warning point.' });
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });
