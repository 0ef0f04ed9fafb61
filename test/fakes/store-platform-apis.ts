import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local stand-ins for the order lists of Salla's, Zid's and Shopify's REST APIs, for backfill
 * tests. Each answers only with its token and in its documented shape and pagination: Salla
 * `{ data, pagination: { count, total, perPage, currentPage, totalPages } }` by `page`; Zid
 * `{ status, orders, total_order_count }` by `page` and `per_page`; Shopify `{ orders }` with a
 * `Link: <…page_info=…>; rel="next"` header.
 */
export class FakeStoreApis {
  readonly requests: Array<{ path: string; headers: Record<string, string | string[] | undefined> }> = [];
  salla: unknown[] = [];
  zid: unknown[] = [];
  shopify: unknown[] = [];
  readonly tokens = { salla: 'salla-access-token-1', zid: 'zid-manager-token-1', shopify: 'shpat_test_token_1' };

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeStoreApis> {
    let fake!: FakeStoreApis;
    const server = createServer((req, res) => fake.handle(req.url ?? '/', req.headers, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeStoreApis(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(path: string, headers: Record<string, string | string[] | undefined>, res: import('node:http').ServerResponse) {
    this.requests.push({ path, headers });
    const url = new URL(path, this.baseUrl);
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/salla/orders') {
      if (headers.authorization !== `Bearer ${this.tokens.salla}`) return json(401, { status: 401, success: false, error: { code: 'Unauthorized', message: 'The access token is invalid' } });
      const perPage = Number(url.searchParams.get('per_page') ?? 15);
      const page = Number(url.searchParams.get('page') ?? 1);
      const totalPages = Math.max(1, Math.ceil(this.salla.length / perPage));
      return json(200, {
        status: 200,
        success: true,
        data: this.salla.slice((page - 1) * perPage, page * perPage),
        pagination: { count: Math.min(perPage, Math.max(0, this.salla.length - (page - 1) * perPage)), total: this.salla.length, perPage, currentPage: page, totalPages, links: {} },
      });
    }
    if (url.pathname === '/zid/managers/store/orders') {
      if (headers['x-manager-token'] !== this.tokens.zid) return json(401, { status: 'error', message: { type: 'error', code: null, name: 'unauthorized', description: 'Unauthorized' } });
      const perPage = Number(url.searchParams.get('per_page') ?? 10);
      const page = Number(url.searchParams.get('page') ?? 1);
      return json(200, { status: 'object', orders: this.zid.slice((page - 1) * perPage, page * perPage), total_order_count: this.zid.length });
    }
    const shopify = /^\/shopify\/admin\/api\/[\d-]+\/orders\.json$/.exec(url.pathname);
    if (shopify) {
      if (headers['x-shopify-access-token'] !== this.tokens.shopify) return json(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = url.searchParams.get('page_info') ? Number(Buffer.from(url.searchParams.get('page_info')!, 'base64url').toString()) : 0;
      const next = offset + limit < this.shopify.length ? `<${this.baseUrl}${url.pathname}?limit=${limit}&page_info=${Buffer.from(String(offset + limit)).toString('base64url')}>; rel="next"` : '';
      return json(200, { orders: this.shopify.slice(offset, offset + limit) }, next ? { link: next } : {});
    }
    json(404, { errors: 'Not Found' });
  }
}
