import { NodeRegistry } from '../common/graphql/node';
import { Module } from '@nestjs/common';
import { CustomersResolver } from './customers.resolver';
import { CustomersService } from './customers.service';
import { ConnectionCountResolver } from '../common/graphql/connection';
import { PortalTicketConnection } from './dto/portal.types';
import { TicketConnection } from './dto/ticket-payloads';
import { PortalResolver } from './portal.resolver';
import { TicketsResolver } from './tickets.resolver';
import { TicketAssigneeResolver } from './ticket-assignee.resolver';
import { TicketListeners } from './ticket-listeners';
import { TicketEventStream } from './ticket-event-stream';
import { TicketSubscriptionsResolver } from './ticket-subscriptions.resolver';
import { TicketsService } from './tickets.service';
import { TicketReadsService } from './ticket-reads.service';
import { CannedRepliesResolver } from './canned-replies/canned-replies.resolver';
import { CannedRepliesService } from './canned-replies/canned-replies.service';
import { TicketSearchService } from './ticket-search.service';
import { TicketMergeService } from './ticket-merge.service';
import { CompensationsService } from './complaints/compensations.service';
import { CompensationsResolver } from './complaints/compensations.resolver';
import { TicketSearchResultConnection } from './dto/ticket-search.types';
import { ImportJobsResolver } from './import/import-jobs.resolver';
import { ImportJob } from './import/import-job.entity';
import { Compensation } from './complaints/compensation.entity';
import { CustomerIdentity } from './entities/customer-identity.entity';
import { TicketEvent } from './entities/ticket-event.entity';

@Module({
  providers: [
    TicketsService,
    TicketReadsService,
    TicketSearchService,
    TicketMergeService,
    CompensationsService,
    CompensationsResolver,
    CannedRepliesService,
    CannedRepliesResolver,
    ImportJobsResolver,
    TicketListeners,
    TicketEventStream,
    TicketSubscriptionsResolver,
    CustomersService,
    TicketsResolver,
    TicketAssigneeResolver,
    ConnectionCountResolver(TicketConnection),
    ConnectionCountResolver(TicketSearchResultConnection),
    CustomersResolver,
    PortalResolver,
    ConnectionCountResolver(PortalTicketConnection),
  ],
  exports: [TicketsService, TicketReadsService, TicketSearchService, CustomersService, TicketListeners, TicketEventStream],
})
export class TicketsModule {
  constructor(nodes: NodeRegistry, reads: TicketReadsService, customers: CustomersService, cannedReplies: CannedRepliesService) {
    // Staff see tickets and their parts; a customer token sees its own tickets and their public messages, as PortalTicket and PortalMessage.
    nodes.register({ type: 'Ticket', table: 'tickets', scope: 'tickets:read', load: (ctx, id) => reads.get(ctx, id) });
    nodes.register({ type: 'PortalTicket', table: 'tickets', scope: 'portal', load: (ctx, id) => reads.getForCaller(ctx, id) });
    nodes.register({ type: 'Customer', table: 'customers', scope: 'tickets:read', load: (ctx, id) => customers.get(ctx, id) });
    nodes.register({ type: 'Message', table: 'messages', scope: 'tickets:read', load: async (ctx, id) => (await reads.messagesByIds(ctx, [id]))[0] ?? null });
    nodes.register({ type: 'CannedReply', table: 'canned_replies', scope: 'tickets:read', load: (ctx, id) => cannedReplies.get(ctx, id) });
    nodes.register({ type: 'PortalMessage', table: 'messages', scope: 'portal', load: (ctx, id) => reads.messageForCaller(ctx, id) });
    nodes.registerEntity('TicketEvent', TicketEvent, 'ticket_events', 'tickets:read');
    nodes.registerEntity('CustomerIdentity', CustomerIdentity, 'customer_identities', 'tickets:read');
    nodes.registerEntity('Compensation', Compensation, 'compensations', 'tickets:read');
    nodes.registerEntity('ImportJob', ImportJob, 'import_jobs', 'admin');
  }
}
