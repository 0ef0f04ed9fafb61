import { isEmail } from 'class-validator';
import { extractKeywords } from '../../common/text/keywords';
import { normaliseTags } from '../ticket-tags';
import { AuthorType, Channel, TicketPriority, TicketStatus } from '../ticket-enums';

/**
 * The import format: records shaped like a Zendesk export (users, and tickets with their comments),
 * mapped to Rida's tickets by pure functions. See the README, "Importing from another help desk".
 */

type Id = string | number;

export interface ZendeskUser {
  type?: 'user';
  id: Id;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  /** end-user (a customer), agent or admin. */
  role?: string | null;
}

export interface ZendeskComment {
  id?: Id;
  author_id?: Id | null;
  /** Not in Zendesk's own export: lets a CSV or a hand-made file name the author without a user record. */
  author_name?: string | null;
  author_role?: string | null;
  body?: string | null;
  plain_body?: string | null;
  public?: boolean | string | null;
  created_at?: string | null;
}

export interface ZendeskTicket {
  type?: 'ticket';
  id: Id;
  subject?: string | null;
  description?: string | null;
  status?: string | null;
  priority?: string | null;
  via?: { channel?: string | null } | null;
  tags?: string[] | string | null;
  requester_id?: Id | null;
  /** Inline requester (CSV rows carry it). */
  requester?: { name?: string | null; email?: string | null; phone?: string | null } | null;
  created_at?: string | null;
  updated_at?: string | null;
  solved_at?: string | null;
  order_id?: string | null;
  comments?: ZendeskComment[] | null;
}

export interface ImportedMessage {
  externalId: string | null;
  authorType: AuthorType;
  authorName: string | null;
  internal: boolean;
  body: string;
  createdAt: Date;
}

export interface ImportedTicket {
  /** `zendesk:<id>`: what makes a re-run skip it. */
  externalId: string;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
  channel: Channel;
  tags: string[];
  orderRef: string | null;
  requester: { externalId: string | null; name: string | null; email: string | null; phone: string | null };
  messages: ImportedMessage[];
  createdAt: Date;
  updatedAt: Date;
  facts: {
    messageCount: number;
    publicAgentReplyCount: number;
    firstResponseAt: Date | null;
    lastCustomerMessageAt: Date | null;
    lastAgentReplyAt: Date | null;
    solvedAt: Date | null;
    closedAt: Date | null;
    keywords: string[];
  };
}

const STATUS: Record<string, TicketStatus> = {
  new: TicketStatus.NEW,
  open: TicketStatus.OPEN,
  pending: TicketStatus.PENDING,
  hold: TicketStatus.ON_HOLD,
  on_hold: TicketStatus.ON_HOLD,
  solved: TicketStatus.SOLVED,
  closed: TicketStatus.CLOSED,
};

const PRIORITY: Record<string, TicketPriority> = { low: TicketPriority.LOW, normal: TicketPriority.NORMAL, high: TicketPriority.HIGH, urgent: TicketPriority.URGENT };

/** Zendesk's `via.channel` values; anything else arrived through an integration (API). */
const CHANNEL: Record<string, Channel> = {
  email: Channel.EMAIL,
  web: Channel.WEB_FORM,
  web_form: Channel.WEB_FORM,
  api: Channel.API,
  chat: Channel.CHAT,
  native_messaging: Channel.CHAT,
  whatsapp: Channel.WHATSAPP,
  voice: Channel.PHONE,
  phone: Channel.PHONE,
  twitter: Channel.X,
  x: Channel.X,
  facebook: Channel.FACEBOOK,
  instagram_dm: Channel.INSTAGRAM,
  instagram: Channel.INSTAGRAM,
};

const AGENT_ROLES = new Set(['agent', 'admin']);
const MAX_SUBJECT = 200;
const MAX_BODY = 100_000;

export class RecordError extends Error {}

function date(value: unknown, field: string): Date {
  const parsed = typeof value === 'string' && value.trim() ? new Date(value) : null;
  if (!parsed || Number.isNaN(parsed.getTime())) throw new RecordError(`${field} is not a date: ${JSON.stringify(value ?? null)}`);
  return parsed;
}

function optionalDate(value: unknown, field: string): Date | null {
  return value === undefined || value === null || value === '' ? null : date(value, field);
}

/** A record's id as text; null when absent or empty. */
export function idOf(value: Id | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : String(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function isPublic(value: ZendeskComment['public']): boolean {
  if (value === undefined || value === null || value === '') return true;
  return value === true || String(value).toLowerCase() === 'true' || value === '1';
}

/** What kind of record a JSON line is: by its `type`, else by its fields (a ticket has a subject, comments or a requester). */
export function recordKind(record: Record<string, unknown>): 'user' | 'ticket' | null {
  if (record.type === 'user' || record.type === 'ticket') return record.type;
  if (record.type !== undefined) return null;
  if ('subject' in record || 'comments' in record || 'requester_id' in record || 'description' in record) return 'ticket';
  if ('email' in record || 'name' in record || 'role' in record) return 'user';
  return null;
}

/** An email address as given, or a RecordError: the importer must not attach junk to a customer. */
export function checkedEmail(value: string | null | undefined, field: string): string | null {
  const email = text(value);
  if (email && !isEmail(email)) throw new RecordError(`${field} is not an email address: ${JSON.stringify(email)}`);
  return email;
}

export function isAgent(user: ZendeskUser): boolean {
  return AGENT_ROLES.has(String(user.role ?? '').toLowerCase());
}

/**
 * A Zendesk ticket as a Rida ticket with its messages and stored facts, or a RecordError naming
 * what is wrong. `agentNames` holds the agents (and admins) read so far, by Zendesk user id; a
 * comment by anyone else than the requester and the agents is counted as the customer's.
 */
export function mapTicket(record: ZendeskTicket, agentNames: ReadonlyMap<string, string>): ImportedTicket {
  const id = idOf(record.id)?.trim();
  if (!id) throw new RecordError('id is missing');
  const createdAt = date(record.created_at, 'created_at');
  const statusKey = String(record.status ?? 'open').toLowerCase();
  const status = STATUS[statusKey];
  if (!status) throw new RecordError(`status "${record.status}" is not one of ${Object.keys(STATUS).join(', ')}`);
  const priority = record.priority ? PRIORITY[String(record.priority).toLowerCase()] : TicketPriority.NORMAL;
  if (!priority) throw new RecordError(`priority "${record.priority}" is not one of ${Object.keys(PRIORITY).join(', ')}`);
  const channel = CHANNEL[String(record.via?.channel ?? 'api').toLowerCase()] ?? Channel.API;
  const requesterId = idOf(record.requester_id);
  const requester = {
    externalId: requesterId ? `zendesk:${requesterId}` : null,
    name: text(record.requester?.name),
    email: checkedEmail(record.requester?.email, 'requester email'),
    phone: text(record.requester?.phone),
  };
  if (!requester.externalId && !requester.email && !requester.phone) throw new RecordError('the ticket has no requester_id, requester email or phone');

  const comments = record.comments?.length ? record.comments : record.description ? [{ body: record.description, author_id: record.requester_id, created_at: record.created_at }] : [];
  const messages: ImportedMessage[] = comments.map((comment, i) => {
    const body = text(comment.plain_body) ?? text(comment.body);
    if (!body) throw new RecordError(`comment ${comment.id ?? i + 1} has no body`);
    if (body.length > MAX_BODY) throw new RecordError(`comment ${comment.id ?? i + 1} is longer than ${MAX_BODY} characters`);
    const authorId = idOf(comment.author_id);
    const role = String(comment.author_role ?? '').toLowerCase();
    const agent = AGENT_ROLES.has(role) || (authorId !== null && authorId !== requesterId && agentNames.has(authorId));
    return {
      externalId: idOf(comment.id) === null ? null : `zendesk:${comment.id}`,
      authorType: agent ? AuthorType.AGENT : AuthorType.CUSTOMER,
      authorName: text(comment.author_name) ?? (authorId ? (agentNames.get(authorId) ?? null) : null) ?? (agent ? null : requester.name),
      internal: agent && !isPublic(comment.public),
      body,
      createdAt: optionalDate(comment.created_at, `comment ${comment.id ?? i + 1} created_at`) ?? createdAt,
    };
  });
  if (messages.length === 0) throw new RecordError('the ticket has no comments and no description');
  messages.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());

  const subject = (text(record.subject) ?? messages[0].body.replace(/\s+/g, ' ')).slice(0, MAX_SUBJECT);
  const tags = normaliseTags(
    Array.isArray(record.tags)
      ? record.tags
      : String(record.tags ?? '')
          .split(/[\s,]+/)
          .filter(Boolean),
  );
  const last = messages[messages.length - 1].createdAt;
  const updatedAt = optionalDate(record.updated_at, 'updated_at') ?? last;
  const publicAgent = messages.filter((m) => m.authorType === AuthorType.AGENT && !m.internal);
  const fromCustomer = messages.filter((m) => m.authorType === AuthorType.CUSTOMER);
  const solved = status === TicketStatus.SOLVED || status === TicketStatus.CLOSED;
  const solvedAt = solved ? (optionalDate(record.solved_at, 'solved_at') ?? updatedAt) : null;
  return {
    externalId: `zendesk:${id}`,
    subject,
    status,
    priority,
    channel,
    tags,
    orderRef: text(record.order_id),
    requester,
    messages,
    createdAt,
    updatedAt,
    facts: {
      messageCount: messages.length,
      publicAgentReplyCount: publicAgent.length,
      firstResponseAt: publicAgent[0]?.createdAt ?? null,
      lastCustomerMessageAt: fromCustomer[fromCustomer.length - 1]?.createdAt ?? null,
      lastAgentReplyAt: publicAgent[publicAgent.length - 1]?.createdAt ?? null,
      solvedAt,
      closedAt: status === TicketStatus.CLOSED ? updatedAt : null,
      keywords: extractKeywords(`${subject} ${fromCustomer[0]?.body ?? messages[0].body}`),
    },
  };
}

/** The CSV columns, one row per comment; the rows of a ticket follow each other (an export sorted by ticket id). */
export const CSV_COLUMNS = [
  'ticket_id',
  'subject',
  'status',
  'priority',
  'channel',
  'tags',
  'created_at',
  'updated_at',
  'solved_at',
  'order_id',
  'requester_id',
  'requester_name',
  'requester_email',
  'requester_phone',
  'comment_id',
  'comment_author_id',
  'comment_author_name',
  'comment_author_role',
  'comment_public',
  'comment_body',
  'comment_created_at',
] as const;

export type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

/** The ticket a CSV row starts (its first row) with that row's comment. */
export function ticketFromCsvRow(row: CsvRow): ZendeskTicket {
  return {
    id: row.ticket_id ?? '',
    subject: row.subject,
    status: row.status || undefined,
    priority: row.priority || undefined,
    via: { channel: row.channel || undefined },
    tags: row.tags,
    created_at: row.created_at,
    updated_at: row.updated_at || undefined,
    solved_at: row.solved_at || undefined,
    order_id: row.order_id || undefined,
    requester_id: row.requester_id || undefined,
    requester: { name: row.requester_name, email: row.requester_email, phone: row.requester_phone },
    comments: row.comment_body ? [commentFromCsvRow(row)] : [],
  };
}

export function commentFromCsvRow(row: CsvRow): ZendeskComment {
  return {
    id: row.comment_id || undefined,
    author_id: row.comment_author_id || undefined,
    author_name: row.comment_author_name || undefined,
    author_role: row.comment_author_role || undefined,
    public: row.comment_public,
    body: row.comment_body,
    created_at: row.comment_created_at || row.created_at,
  };
}
