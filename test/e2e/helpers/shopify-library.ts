/**
 * Shopify's official API library, for signing and checking webhooks in tests exactly as Shopify
 * and its own apps do. Required rather than imported: the package also ships its TypeScript
 * sources, which this project's module resolution would type-check as part of the build.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
interface ShopifyLibrary {
  shopifyApi(config: Record<string, unknown>): {
    webhooks: {
      validate(args: {
        rawBody: string;
        rawRequest: { headers: Record<string, string>; method: string; url: string };
        rawResponse: object;
      }): Promise<{ valid: boolean; reason?: string; topic?: string; domain?: string; webhookId?: string }>;
    };
  };
  ApiVersion: Record<string, string>;
  LogSeverity: Record<string, number>;
}
require('@shopify/shopify-api/adapters/node');
const library = require('@shopify/shopify-api') as ShopifyLibrary;
const testing = require('@shopify/shopify-api/test-helpers') as { getHmac(body: string, secret: string): string };

/** Shopify's webhook validator for an app with this client secret. */
export function shopifyWebhooks(clientSecret: string) {
  return library.shopifyApi({
    apiKey: 'rida-test',
    apiSecretKey: clientSecret,
    hostName: 'support.example.sa',
    apiVersion: library.ApiVersion.January25,
    isEmbeddedApp: false,
    logger: { level: library.LogSeverity.Error },
  }).webhooks;
}

/** X-Shopify-Hmac-Sha256 of a body, as Shopify computes it (the signing function its library ships for tests). */
export const shopifyHmac = (body: string, clientSecret: string) => testing.getHmac(body, clientSecret);
