import { Node } from '../../common/graphql/node';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import '../graphql-enums';
import { TicketCategory, TicketPriority, TicketStatus } from '../ticket-enums';

/** What applying a canned reply as a macro also changes on the ticket. */
export interface MacroActions {
  status?: TicketStatus;
  addTags?: string[];
  category?: TicketCategory;
  priority?: TicketPriority;
}

export enum ContentLocale {
  AR = 'ar',
  EN = 'en',
}
registerEnumType(ContentLocale, {
  valuesMap: { AR: { description: 'Arabic (stored as "ar").' }, EN: { description: 'English (stored as "en").' } },
  name: 'ContentLocale',
  description: 'Language of store-written content (canned replies, articles).',
});

@ObjectType({ implements: () => [Node], description: 'A canned reply (macro): a logic-less template agents insert with its shortcut, optionally changing the ticket too.' })
@Entity('canned_replies')
@Index('canned_replies_tenant_shortcut_key', ['tenantId', 'shortcut'], { unique: true })
@Check('canned_replies_locale_check', `locale IN ('ar','en')`)
export class CannedReply {
  @PrimaryColumn('uuid')
  tenantId: string;

  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'A name for lists, e.g. "اعتذار عن تأخر الشحن".' })
  @Column('text')
  title: string;

  @Field({ description: 'What agents type to insert it, e.g. /تأخير-الشحن.' })
  @Column('text')
  shortcut: string;

  @Field({ description: 'Mustache template with placeholders such as {{customer.name}}.' })
  @Column('text')
  body: string;

  @Field(() => ContentLocale, { description: 'The language it is written in.' })
  @Column('text')
  locale: ContentLocale;

  @Field(() => TicketCategory, { description: 'The ticket category it is meant for; offered first on such tickets. Null: any.', nullable: true })
  @Column('text', { nullable: true })
  category: TicketCategory | null;

  @Column('jsonb', { default: () => "'{}'" })
  actions: MacroActions;

  @Field(() => TicketStatus, { nullable: true, description: 'Applying it as a macro sets this status.' })
  get setsStatus(): TicketStatus | null {
    return this.actions?.status ?? null;
  }

  @Field(() => [String], { description: 'Applying it as a macro adds these tags.' })
  get addsTags(): string[] {
    return this.actions?.addTags ?? [];
  }

  @Field(() => TicketCategory, { nullable: true, description: 'Applying it as a macro sets this category.' })
  get setsCategory(): TicketCategory | null {
    return this.actions?.category ?? null;
  }

  @Field(() => TicketPriority, { nullable: true, description: 'Applying it as a macro sets this priority.' })
  get setsPriority(): TicketPriority | null {
    return this.actions?.priority ?? null;
  }

  @Field({ description: 'Inactive replies are kept but not offered to agents.' })
  @Column('boolean', { default: true })
  active: boolean;

  @Field(() => Int, { description: 'Times rendered or applied.' })
  @Column('integer', { default: 0 })
  usageCount: number;

  @Field(() => Date, { description: 'When it was last rendered or applied; null if never.', nullable: true })
  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Field({ description: 'When it was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Field({ description: 'When it last changed (ISO 8601 with offset, UTC).' })
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
