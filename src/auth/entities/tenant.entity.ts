import { Node } from '../../common/graphql/node';
import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A store. Every other row belongs to exactly one. */
@ObjectType({ implements: () => [Node], description: 'A store using Rida; every record belongs to one tenant.' })
@Entity('tenants')
export class Tenant {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  @PrimaryColumn('uuid')
  id: string;

  @Field({ description: 'The store\'s name, e.g. "متجر الورد".' })
  @Column('text')
  name: string;

  @Field({ description: 'URL-safe unique name, e.g. for the public help centre.' })
  @Column('text', { unique: true })
  slug: string;

  @Field({ description: 'IANA time zone for business hours and reports, e.g. Asia/Riyadh.' })
  @Column('text', { default: 'Asia/Riyadh' })
  timezone: string;

  @Field({ description: 'ISO 3166 country used to read national phone numbers, e.g. SA.' })
  @Column('text', { default: 'SA' })
  defaultCountry: string;

  @Field({ description: 'Default language of customer-facing text: ar or en.' })
  @Column('text', { default: 'ar' })
  locale: string;

  @Field({ description: 'When the store was created (ISO 8601 with offset, UTC).' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
