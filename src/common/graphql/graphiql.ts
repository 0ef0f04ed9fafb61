import type { ApolloServerPlugin } from '@apollo/server';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Public } from '../http/public';

/**
 * GraphiQL at /graphql in a browser, served from this server's own packages (graphiql 3's
 * self-contained bundle on React 18's UMD builds), so it works with no internet and behind proxies
 * that block public CDNs. Off in production unless GRAPHQL_GRAPHIQL says otherwise, as before.
 */
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const GRAPHIQL_VERSION = (JSON.parse(readFileSync(join(packageDir('graphiql'), 'package.json'), 'utf8')) as { version: string }).version;

/** The only files served, by name: nothing else of node_modules is reachable. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'react.production.min.js': { file: () => join(packageDir('react'), 'umd/react.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'react-dom.production.min.js': { file: () => join(packageDir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.js': { file: () => join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { file: () => join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
};

/** Versioned, so a browser may keep them for a year; a new graphiql is a new path. */
export const GRAPHIQL_ASSETS_PATH = `/graphiql/${GRAPHIQL_VERSION}`;

/** The header editor opens with this, showing where the credential goes. */
const DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer rida_… (an API key, an agent access token or a customer token)' }, null, 2);

const DEFAULT_QUERY = `# Rida's GraphQL API. Put your credential in the Headers tab below
# (an API key from \`npm run cli -- apikey:create\`, or an agent's access token).
{
  tickets(first: 5) {
    edges { node { number subject status channel } }
  }
}
`;

export function graphiqlPage(endpoint: string): string {
  // JSON.stringify of constant strings, with "<" escaped so that nothing can close the script element.
  const literal = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rida · GraphiQL</title>
<style>body{height:100%;margin:0;width:100%;overflow:hidden}#graphiql{height:100vh}</style>
<link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.min.css">
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="${GRAPHIQL_ASSETS_PATH}/react.production.min.js"></script>
<script src="${GRAPHIQL_ASSETS_PATH}/react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSETS_PATH}/graphiql.min.js"></script>
<script>
  const endpoint = ${literal(endpoint)};
  const fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: location.origin.replace(/^http/, 'ws') + endpoint });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${literal(DEFAULT_QUERY)},
      defaultHeaders: ${literal(DEFAULT_HEADERS)},
      defaultEditorToolsVisibility: 'headers',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    }),
  );
</script>
</body>
</html>
`;
}

/** Apollo's landing page (GET /graphql from a browser): our GraphiQL page. */
export function graphiqlLandingPagePlugin(endpoint: string): ApolloServerPlugin {
  const html = graphiqlPage(endpoint);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}

/** GraphiQL's scripts and styles, from node_modules, read once. */
@ApiExcludeController()
@Controller('graphiql')
export class GraphiqlAssetsController {
  private readonly cache = new Map<string, Buffer>();

  @Get(':version/:file')
  @Public()
  asset(@Param('version') version: string, @Param('file') file: string, @Res() reply: FastifyReply) {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset || version !== GRAPHIQL_VERSION) throw new NotFoundException(`No GraphiQL file ${file}`);
    let body = this.cache.get(file);
    if (!body) this.cache.set(file, (body = readFileSync(asset.file())));
    return reply.header('content-type', asset.type).header('cache-control', 'public, max-age=31536000, immutable').header('x-content-type-options', 'nosniff').send(body);
  }
}
