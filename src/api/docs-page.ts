import type { Hono, Env } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Where the docs page's scripts and styles are served, on the API's own origin. */
export const DOCS_ASSETS_PATH = '/docs/assets';

/** The files of the installed `swagger-ui-dist` (pinned by the lockfile) that the page loads, with their types. */
export const PACKAGE_ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/** The page's own script (a file, not inline, so the policy needs no 'unsafe-inline'). */
export const DOCS_SCRIPT = 'docs.js';

/**
 * The page's Content-Security-Policy: everything from the API's own origin, nothing from anywhere else. `data:` images
 * are Swagger UI's inline SVG icons, in its stylesheet; they are not a source another origin can serve.
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const script = (openApiPath: string) =>
  `// Renders the API reference from ${openApiPath}; served by the payments API, like everything the page loads.
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(openApiPath)},
  dom_id: '#docs',
  deepLinking: true,
  displayOperationId: true,
  queryConfigEnabled: false,
  persistAuthorization: false,
  validatorUrl: null,
});
`;

const page = (openApiPath: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Payments API</title>
    <link rel="icon" type="image/png" href="${DOCS_ASSETS_PATH}/favicon-32x32.png">
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css">
    <link rel="stylesheet" href="${DOCS_ASSETS_PATH}/index.css">
  </head>
  <body>
    <noscript>This reference needs JavaScript. The contract itself is at <a href="${openApiPath}">${openApiPath}</a>.</noscript>
    <div id="docs"></div>
    <script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_ASSETS_PATH}/${DOCS_SCRIPT}"></script>
  </body>
</html>
`;

/** The directory of the installed swagger-ui-dist package. */
export function swaggerUiDirectory(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  etag: string;
}

const asset = (body: Uint8Array<ArrayBuffer>, type: string): Asset => ({
  body,
  type,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
});

/**
 * `GET /docs`: an interactive reference of the API (Swagger UI) whose page, scripts and styles all come from this
 * origin, read from the installed package, under a Content-Security-Policy that allows this origin only. It renders
 * with no network beyond the API, and no third-party code runs where callers paste their keys. Assets are read once,
 * on first use, and revalidated by ETag.
 */
export function registerDocsPage<E extends Env>(app: Hono<E>, options: { openApiPath: string }): void {
  const loaded = new Map<string, Asset>();
  const load = (name: string): Asset | undefined => {
    const cached = loaded.get(name);
    if (cached) return cached;
    const encode = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
    let found: Asset | undefined;
    if (name === 'index.html') found = asset(encode(page(options.openApiPath)), 'text/html; charset=utf-8');
    else if (name === DOCS_SCRIPT) found = asset(encode(script(options.openApiPath)), 'text/javascript; charset=utf-8');
    else if (PACKAGE_ASSETS[name])
      found = asset(new Uint8Array(readFileSync(join(swaggerUiDirectory(), name))), PACKAGE_ASSETS[name]);
    if (found) loaded.set(name, found);
    return found;
  };
  // HSTS is the TLS proxy's to set for the whole host, not one page's.
  const headers = secureHeaders({
    contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY,
    strictTransportSecurity: false,
  });
  app.use('/docs', headers);
  app.use(`${DOCS_ASSETS_PATH}/*`, headers);
  const serve = (name: string) =>
    app.get(name === 'index.html' ? '/docs' : `${DOCS_ASSETS_PATH}/${name}`, (c) => {
      const file = load(name) as Asset;
      const cache = { ETag: file.etag, 'Cache-Control': 'no-cache' };
      if (c.req.header('if-none-match') === file.etag) return c.body(null, 304, cache);
      return c.body(file.body, 200, { ...cache, 'Content-Type': file.type });
    });
  for (const name of ['index.html', DOCS_SCRIPT, ...Object.keys(PACKAGE_ASSETS)]) serve(name);
}
