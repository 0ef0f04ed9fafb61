import { registerEnumType } from '@nestjs/graphql';
import { TicketCategory } from '../ticket-category';

/** GraphQL names of the enums that more than one module's types use. */
registerEnumType(TicketCategory, {
  valuesMap: {
    ACCOUNT: { description: 'Sign-in, profile and account questions.' },
    GENERAL: { description: 'Anything else (the category when no rule matches).' },
    PAYMENT: { description: 'Payments, refunds of charges, payment methods (mada, Apple Pay, Tabby …).' },
    PRE_SALES: { description: 'Questions before buying: stock, sizes, prices, offers.' },
    PRODUCT: { description: "A product's quality, fit or defects." },
    RETURNS: { description: 'Returns and exchanges.' },
    SHIPPING: { description: 'Delivery times, tracking, late or lost parcels.' },
    TECHNICAL: { description: "The store's website or app not working." },
  },
  description: 'What a ticket is about; teams own categories and routing rules set them.',
  name: 'TicketCategory',
});
