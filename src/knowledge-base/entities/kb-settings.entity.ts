import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numberColumn } from '../../common/database/number-transformer';
import { Channel } from '../../tickets/ticket-enums';

/** A store's help-centre and FAQ auto-answer settings; a store without a row has the defaults. */
@Entity('kb_settings')
export class KnowledgeBaseSettingsRow {
  @PrimaryColumn('uuid')
  tenantId: string;

  /** Channels whose first customer message may get an automatic FAQ answer; none by default. */
  @Column('text', { array: true, default: () => "'{}'" })
  autoAnswerChannels: Channel[];

  @Column('numeric', { precision: 3, scale: 2, default: () => '0.75', transformer: numberColumn })
  autoAnswerMinConfidence: number;

  /** Where the store's help centre shows an article: this address + "/" + the article's slug. */
  @Column('text', { nullable: true })
  helpCentreUrl: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
