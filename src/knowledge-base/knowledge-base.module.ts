import { NodeRegistry } from '../common/graphql/node';
import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { TicketsModule } from '../tickets/tickets.module';
import { FaqAutoAnswerService } from './faq-auto-answer.service';
import { HelpCentreController } from './help-centre.controller';
import { KnowledgeBaseResolver } from './knowledge-base.resolver';
import { KnowledgeBaseService } from './knowledge-base.service';

/** Articles, the public help centre, article suggestions for agents and the FAQ auto-answer on chat and WhatsApp. */
@Module({
  imports: [TicketsModule, RoutingModule],
  controllers: [HelpCentreController],
  providers: [KnowledgeBaseService, FaqAutoAnswerService, KnowledgeBaseResolver],
})
export class KnowledgeBaseModule {
  constructor(nodes: NodeRegistry, kb: KnowledgeBaseService) {
    nodes.register({ type: 'KbArticle', table: 'kb_articles', scope: 'tickets:read', load: (ctx, id) => kb.get(ctx, id) });
  }
}
