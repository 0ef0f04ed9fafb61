/** What a ticket is about: tickets are categorised by it, agents skilled in it, teams route by it. A plain enum, as in ticket-enums. */
export enum TicketCategory {
  PAYMENT = 'PAYMENT',
  SHIPPING = 'SHIPPING',
  TECHNICAL = 'TECHNICAL',
  RETURNS = 'RETURNS',
  PRE_SALES = 'PRE_SALES',
  PRODUCT = 'PRODUCT',
  ACCOUNT = 'ACCOUNT',
  GENERAL = 'GENERAL',
}
