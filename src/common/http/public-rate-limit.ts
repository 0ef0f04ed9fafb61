import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

const MINUTE_MS = 60_000;

/**
 * Requests per minute per client address for endpoints anyone may call without a credential (the
 * survey page and survey answers): enough for a person, too few to try tokens in bulk. Counted in
 * memory, per instance, in fixed one-minute windows (PUBLIC_RATE_LIMIT_PER_MINUTE; 0 = off).
 */
@Injectable()
export class PublicRateLimit {
  private windows = new Map<string, { startedAt: number; count: number }>();
  private sweptAt = Date.now();

  constructor(private readonly config: AppConfig) {}

  /** True when the client may go on; false when it is over the limit for this minute. */
  take(clientAddress: string, now = Date.now()): boolean {
    const limit = this.config.PUBLIC_RATE_LIMIT_PER_MINUTE;
    if (limit === 0) return true;
    if (now - this.sweptAt > MINUTE_MS) {
      // Forget finished windows so that the map holds only the last minute's clients.
      for (const [key, window] of this.windows) if (now - window.startedAt >= MINUTE_MS) this.windows.delete(key);
      this.sweptAt = now;
    }
    const window = this.windows.get(clientAddress);
    if (!window || now - window.startedAt >= MINUTE_MS) {
      this.windows.set(clientAddress, { startedAt: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= limit;
  }
}
