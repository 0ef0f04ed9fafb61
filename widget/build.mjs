// Builds the storefront chat widget (widget/src) into one minified script, dist/widget.js, which
// the server serves at /widget.js. Run by `npm run build`; the browser tests run it too.
import { build } from 'esbuild';
import { fileURLToPath, URL } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here('./src/widget.ts')],
  outfile: here('../dist/widget.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
