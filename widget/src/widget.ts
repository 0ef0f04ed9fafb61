/**
 * Rida's storefront chat widget. One line on any page:
 *
 *   <script src="<PUBLIC_URL>/widget.js" data-channel="<public channel id>" defer></script>
 *
 * Optional attributes: data-lang="en" (default: the page's lang, else Arabic), and for a shopper the
 * store knows, data-customer-id with data-signature (hex HMAC-SHA256 of the id with the channel's
 * identity secret, computed on the store's server).
 */
import { ApiError, graphql, LiveConnection, openSession, VisitorSession } from './api';
import { STYLES } from './styles';
import { formatWhen, pickLanguage, Texts, TEXTS } from './texts';

interface Stored {
  token: string;
  expiresAt: string;
  visitorId: string;
  /** The signed customer id the session is for; absent for an anonymous visitor. */
  customerId?: string;
  ticketId?: string;
}

interface ChatMessage {
  id: string;
  body: string;
  authorType: 'CUSTOMER' | 'AGENT' | 'SYSTEM';
  createdAt: string;
}

const MESSAGE_FIELDS = 'id body authorType createdAt';
const START = `mutation($input: StartChatInput!) { startChat(input: $input) { staffed expectedReplyAt ticket { id } } }`;
const SEND = `mutation($t: ID!, $b: String!) { sendChatMessage(ticketId: $t, body: $b) { id } }`;
const HISTORY = `query($t: ID!) { portalTicket(id: $t) { id messages { ${MESSAGE_FIELDS} } } }`;
const MESSAGES = `subscription($t: ID!) { ticketMessages(ticketId: $t) { ${MESSAGE_FIELDS} } }`;
const ACTIVITY = `subscription($t: ID!) { chatActivity(ticketId: $t) { kind by messageId } }`;
const TYPING = `mutation($t: ID!) { chatTyping(ticketId: $t) }`;
const READ = `mutation($t: ID!, $m: ID!) { markChatRead(ticketId: $t, messageId: $m) { readAt } }`;

const ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

class ChatWidget {
  private readonly texts: Texts;
  private readonly storageKey: string;
  private session?: VisitorSession;
  private stored?: Stored;
  private live?: LiveConnection;
  private liveIds: string[] = [];
  private readonly shown = new Map<string, HTMLElement>();
  private renewTimer?: ReturnType<typeof setTimeout>;
  private typingSentAt = 0;
  private typingTimer?: ReturnType<typeof setTimeout>;
  private lastAgentMessage?: string;
  private ui!: {
    root: HTMLElement;
    launcher: HTMLButtonElement;
    panel: HTMLElement;
    title: HTMLElement;
    status: HTMLElement;
    notice: HTMLElement;
    log: HTMLElement;
    meta: HTMLElement;
    fields: HTMLElement;
    name: HTMLInputElement;
    email: HTMLInputElement;
    phone: HTMLInputElement;
    text: HTMLTextAreaElement;
    send: HTMLButtonElement;
    error: HTMLElement;
  };

  constructor(
    private readonly base: string,
    private readonly channel: string,
    private readonly identity: { customerId: string; signature: string } | null,
    language: 'ar' | 'en',
  ) {
    this.texts = TEXTS[language];
    this.storageKey = `rida-chat:${channel}`;
  }

  async start(): Promise<void> {
    try {
      await this.renewSession();
    } catch (error) {
      // A page the channel does not allow, a switched-off channel, a forged identity: no widget.
      console.warn(`Rida chat: ${error instanceof Error ? error.message : error}`);
      return;
    }
    this.render();
    if (this.stored?.ticketId) this.follow(this.stored.ticketId);
    // Another tab of the same site started or continued the conversation.
    window.addEventListener('storage', (event) => {
      if (event.key !== this.storageKey || !event.newValue) return;
      const other = JSON.parse(event.newValue) as Stored;
      if (other.visitorId === this.stored?.visitorId && other.ticketId && other.ticketId !== this.stored.ticketId) {
        this.stored = { ...this.stored, ticketId: other.ticketId };
        this.follow(other.ticketId);
      }
    });
  }

  /** Opens or renews the visitor session; the token is kept in localStorage, so a reload or a new tab continues the conversation. */
  private async renewSession(): Promise<void> {
    const previous = this.load();
    // A session of another shopper (signed in, out, or as someone else on this browser) is not reused.
    const reusable = previous && previous.customerId === this.identity?.customerId ? previous : undefined;
    const session = await openSession(this.base, { channel: this.channel, token: reusable?.token, ...(this.identity ?? {}) });
    this.session = session;
    const sameVisitor = reusable?.visitorId === session.visitorId;
    this.stored = { token: session.token, expiresAt: session.expiresAt, visitorId: session.visitorId, customerId: this.identity?.customerId, ticketId: sameVisitor ? reusable?.ticketId : undefined };
    this.save();
    // Renewed at two thirds of its life while the page stays open.
    clearTimeout(this.renewTimer);
    const life = new Date(session.expiresAt).getTime() - Date.now();
    this.renewTimer = setTimeout(() => this.renewSession().catch(() => undefined), Math.max(30_000, (life * 2) / 3));
    if (this.ui) this.showStatus();
  }

  private load(): Stored | undefined {
    try {
      const value = localStorage.getItem(this.storageKey);
      return value ? (JSON.parse(value) as Stored) : undefined;
    } catch {
      return undefined;
    }
  }

  private save(): void {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify(this.stored));
    } catch {
      // Storage off (private mode): the conversation lasts as long as the page.
    }
  }

  private token = () => this.stored!.token;

  private render(): void {
    // An element of its own name: a page's rules for div, section … never match it.
    const host = document.createElement('rida-chat');
    host.setAttribute('data-rida-chat', '');
    const shadow = host.attachShadow({ mode: 'open' });
    const t = this.texts;
    shadow.innerHTML = `<style>${STYLES}</style>
      <div class="root" dir="${t.dir}" lang="${t.dir === 'rtl' ? 'ar' : 'en'}">
        <div class="panel" role="dialog" aria-labelledby="rida-title" hidden>
          <header>
            <div class="titles"><h2 id="rida-title"></h2><p class="status"></p></div>
            <button type="button" class="close" aria-label="${t.close}">×</button>
          </header>
          <div class="notice" hidden></div>
          <div class="log" role="log" aria-live="polite"></div>
          <div class="meta" aria-live="polite"></div>
          <form novalidate>
            <div class="fields" hidden>
              <label data-field="name">${t.name} ${t.optional}<input name="name" autocomplete="name" maxlength="200"></label>
              <label data-field="email">${t.email} ${t.optional}<input name="email" type="email" autocomplete="email" maxlength="320"></label>
              <label data-field="phone">${t.phone} ${t.optional}<input name="phone" type="tel" autocomplete="tel" maxlength="40"></label>
            </div>
            <div class="compose">
              <textarea name="text" rows="1" aria-label="${t.placeholder}" placeholder="${t.placeholder}" maxlength="10000"></textarea>
              <button type="submit" class="send">${t.send}</button>
            </div>
            <p class="error" role="alert"></p>
          </form>
        </div>
        <button type="button" class="launcher" aria-expanded="false" aria-label="${t.open}">${ICON}</button>
      </div>`;
    const $ = <T extends HTMLElement>(selector: string) => shadow.querySelector(selector) as T;
    this.ui = {
      root: $('.root'),
      launcher: $('.launcher'),
      panel: $('.panel'),
      title: $('h2'),
      status: $('.status'),
      notice: $('.notice'),
      log: $('.log'),
      meta: $('.meta'),
      fields: $('.fields'),
      name: $('input[name=name]'),
      email: $('input[name=email]'),
      phone: $('input[name=phone]'),
      text: $('textarea'),
      send: $('.send'),
      error: $('.error'),
    };
    const channel = this.session!.channel;
    for (const [field, asked] of [
      ['name', channel.askName],
      ['email', channel.askEmail],
      ['phone', channel.askPhone],
    ] as const) {
      if (!asked) $(`label[data-field=${field}]`).remove();
    }
    this.ui.launcher.addEventListener('click', () => this.toggle());
    $('.close').addEventListener('click', () => this.toggle(false));
    $('form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.ui.text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.ui.text.addEventListener('input', () => this.typing());
    this.showStatus();
    document.body.appendChild(host);
  }

  private toggle(open = this.ui.panel.hidden): void {
    this.ui.panel.hidden = !open;
    this.ui.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.ui.text.focus();
      this.markRead();
    }
  }

  /** Online, or "leave a message" with the time the SLA engine expects the reply by. */
  private showStatus(): void {
    const { channel, staffed, expectedReplyAt, identified } = this.session!;
    const t = this.texts;
    const when = expectedReplyAt ? formatWhen(expectedReplyAt, t) : null;
    this.ui.title.textContent = staffed ? channel.name : `${channel.name} — ${t.leaveAMessage}`;
    this.ui.root.classList.toggle('offline', !staffed);
    this.ui.status.innerHTML = '';
    const dot = document.createElement('span');
    dot.className = 'dot';
    this.ui.status.append(dot, staffed ? (when ? t.replyBy(when) : t.online) : t.leaveAMessage);
    this.ui.notice.hidden = staffed;
    this.ui.notice.textContent = staffed ? '' : t.offline(when);
    this.ui.send.textContent = staffed ? t.send : t.leaveAMessage;
    const askable = !identified && !this.stored?.ticketId && this.ui.fields.querySelector('label') !== null;
    this.ui.fields.hidden = !askable;
  }

  private async submit(): Promise<void> {
    const body = this.ui.text.value.trim();
    if (!body) return;
    this.ui.send.disabled = true;
    this.ui.error.textContent = '';
    try {
      await this.write(body);
      this.ui.text.value = '';
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
        await this.renewSession().catch(() => undefined);
      }
      this.ui.error.textContent = this.texts.failed;
    } finally {
      this.ui.send.disabled = false;
    }
  }

  private async write(body: string): Promise<void> {
    const ticketId = this.stored!.ticketId;
    if (ticketId) {
      const { sendChatMessage } = await graphql<{ sendChatMessage: { id: string } }>(this.base, this.token(), SEND, { t: ticketId, b: body });
      // A closed conversation goes on in a new one.
      if (sendChatMessage.id !== ticketId) this.switchTo(sendChatMessage.id);
      return;
    }
    const value = (input: HTMLInputElement) => (input.isConnected && input.value.trim()) || undefined;
    const input = { body, visitorName: value(this.ui.name), visitorEmail: value(this.ui.email), visitorPhone: value(this.ui.phone) };
    const { startChat } = await graphql<{ startChat: { staffed: boolean; expectedReplyAt: string | null; ticket: { id: string } } }>(this.base, this.token(), START, { input });
    this.session = { ...this.session!, staffed: startChat.staffed, expectedReplyAt: startChat.expectedReplyAt };
    this.switchTo(startChat.ticket.id);
    this.showStatus();
  }

  private switchTo(ticketId: string): void {
    this.stored = { ...this.stored!, ticketId };
    this.save();
    this.follow(ticketId);
  }

  /** Listens to the conversation (first, so nothing falls between), then shows what it already holds. */
  private follow(ticketId: string): void {
    this.live ??= new LiveConnection(
      this.base.replace(/^http/, 'ws') + '/graphql',
      this.token,
      () => void this.history(this.stored!.ticketId!),
      () => this.renewSession(),
    );
    for (const id of this.liveIds) this.live.unsubscribe(id);
    this.liveIds = [
      this.live.subscribe(MESSAGES, { t: ticketId }, (data) => data?.ticketMessages && this.show(data.ticketMessages)),
      this.live.subscribe(ACTIVITY, { t: ticketId }, (data) => data?.chatActivity && this.activity(data.chatActivity)),
    ];
    void this.history(ticketId);
  }

  private async history(ticketId: string): Promise<void> {
    try {
      const { portalTicket } = await graphql<{ portalTicket: { messages: ChatMessage[] } }>(this.base, this.token(), HISTORY, { t: ticketId });
      for (const message of portalTicket.messages) this.show(message);
    } catch (error) {
      // The conversation is gone (or was another visitor's): start afresh.
      if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        this.stored = { ...this.stored!, ticketId: undefined };
        this.save();
        this.showStatus();
      }
    }
  }

  private show(message: ChatMessage): void {
    if (this.shown.has(message.id)) return;
    const bubble = document.createElement('div');
    bubble.className = `msg ${message.authorType === 'CUSTOMER' ? 'me' : message.authorType === 'AGENT' ? 'them' : 'system'}`;
    bubble.textContent = message.body;
    bubble.dataset.author = message.authorType;
    bubble.dataset.at = message.createdAt;
    // In time order, whether it came live or with the history.
    const later = [...this.ui.log.children].find((other) => ((other as HTMLElement).dataset.at ?? '') > message.createdAt);
    this.ui.log.insertBefore(bubble, later ?? null);
    this.shown.set(message.id, bubble);
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
    if (message.authorType === 'AGENT') {
      this.lastAgentMessage = message.id;
      this.ui.meta.textContent = '';
      this.markRead();
    }
  }

  private activity(activity: { kind: 'TYPING' | 'READ'; by: 'AGENT' | 'CUSTOMER'; messageId: string | null }): void {
    if (activity.by !== 'AGENT') return;
    this.ui.meta.textContent = activity.kind === 'TYPING' ? this.texts.typing : this.texts.seen;
    clearTimeout(this.typingTimer);
    if (activity.kind === 'TYPING') this.typingTimer = setTimeout(() => (this.ui.meta.textContent = ''), 5000);
  }

  /** Tells the agent the visitor is typing, at most every three seconds. */
  private typing(): void {
    const ticketId = this.stored?.ticketId;
    if (!ticketId || Date.now() - this.typingSentAt < 3000) return;
    this.typingSentAt = Date.now();
    graphql(this.base, this.token(), TYPING, { t: ticketId }).catch(() => undefined);
  }

  private markRead(): void {
    const ticketId = this.stored?.ticketId;
    if (!ticketId || !this.lastAgentMessage || this.ui.panel.hidden || document.hidden) return;
    graphql(this.base, this.token(), READ, { t: ticketId, m: this.lastAgentMessage }).catch(() => undefined);
  }
}

function boot(): void {
  const script = document.currentScript as HTMLScriptElement | null;
  const channel = script?.dataset.channel;
  if (!script || !channel) return console.warn('Rida chat: the <script> tag needs data-channel');
  const base = script.src.replace(/\/widget\.js(\?.*)?$/, '');
  const { customerId, signature } = script.dataset;
  const identity = customerId || signature ? { customerId: customerId ?? '', signature: signature ?? '' } : null;
  const widget = new ChatWidget(base, channel, identity, pickLanguage(script.dataset.lang, document.documentElement.lang));
  const go = () => void widget.start();
  if (document.body) go();
  else document.addEventListener('DOMContentLoaded', go);
}

boot();
