import { TicketCategory, TicketStatus } from '../ticket-enums';
import { ContentLocale, MacroActions } from './canned-reply.entity';

/**
 * The replies a Saudi store writes first (phrasing from the seeds: apologise before the customer
 * complains, compensate, answer in public and move to private, thank and close). Every store
 * starts with these and edits them freely.
 */
export const DEFAULT_CANNED_REPLIES: Array<{ title: string; shortcut: string; locale: ContentLocale; category: TicketCategory | null; body: string; actions: MacroActions }> = [
  {
    title: 'تأخير الشحن — اعتذار وتحديث',
    shortcut: '/تأخير-الشحن',
    locale: ContentLocale.AR,
    category: TicketCategory.SHIPPING,
    body: 'أهلاً {{customer.firstName}}، نعتذر منك بصدق على تأخر طلبك رقم {{order.id}}. تواصلنا مع شركة الشحن لتسريع التوصيل، وسنوافيك بالتحديث قبل {{sla.expectedReplyAt}}.\nشكراً لصبرك 🌷\n{{agent.name}} — {{store.name}}',
    actions: { addTags: ['تأخير'], status: TicketStatus.PENDING },
  },
  {
    title: 'سياسة الاسترجاع',
    shortcut: '/استرجاع',
    locale: ContentLocale.AR,
    category: TicketCategory.RETURNS,
    body: 'أهلاً {{customer.firstName}}، يمكنك إرجاع المنتج خلال 7 أيام من الاستلام بحالته الأصلية. أرسل لنا رقم الطلب وصورة المنتج، وسنرتب استلامه ونعيد المبلغ لوسيلة الدفع نفسها خلال 5–10 أيام عمل.\n{{agent.name}}',
    actions: {},
  },
  {
    title: 'طرق الدفع المتاحة',
    shortcut: '/طرق-الدفع',
    locale: ContentLocale.AR,
    category: TicketCategory.PAYMENT,
    body: 'أهلاً {{customer.firstName}}، نقبل الدفع بمدى وفيزا وماستركارد وآبل باي، والتقسيط عبر تابي وتمارا، والدفع عند الاستلام في أغلب المدن.\n{{agent.name}}',
    actions: {},
  },
  {
    title: 'اعتذار وتعويض',
    shortcut: '/اعتذار',
    locale: ContentLocale.AR,
    category: null,
    body: 'أهلاً {{customer.firstName}}، نعتذر لك عن هذه التجربة، وهذا ليس المستوى الذي نرضاه لك. عوّضناك بكوبون خصم على طلبك القادم، وسنتابع معك شخصياً حتى تُحل المشكلة بالكامل.\n{{agent.name}} — {{store.name}}',
    actions: { addTags: ['شكوى'] },
  },
  {
    title: 'رد على تعليق عام — ننتقل للخاص',
    shortcut: '/رد-عام',
    locale: ContentLocale.AR,
    category: null,
    body: 'نعتذر منك {{customer.firstName}}، يهمنا حل مشكلتك فوراً. راسلنا على الخاص برقم الطلب وسنخدمك مباشرة 🌷',
    actions: {},
  },
  {
    title: 'شكر وإغلاق',
    shortcut: '/شكر',
    locale: ContentLocale.AR,
    category: null,
    body: 'سعدنا بخدمتك يا {{customer.firstName}} 🌷 إذا احتجت أي شيء آخر نحن هنا دائماً. رقم تذكرتك #{{ticket.number}}.\n{{store.name}}',
    actions: { status: TicketStatus.SOLVED },
  },
  {
    title: 'Shipping delay — apology and update',
    shortcut: '/shipping-delay',
    locale: ContentLocale.EN,
    category: TicketCategory.SHIPPING,
    body: 'Hi {{customer.firstName}}, we are sorry your order {{order.id}} is late. We have asked the carrier to speed it up and will update you by {{sla.expectedReplyAt}}.\n{{agent.name}} — {{store.name}}',
    actions: { addTags: ['تأخير'], status: TicketStatus.PENDING },
  },
];
