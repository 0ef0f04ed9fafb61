import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { TicketsIngestController } from './api/tickets-ingest.controller';

@Module({ imports: [TicketsModule], controllers: [TicketsIngestController] })
export class ChannelsModule {}
