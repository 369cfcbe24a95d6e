import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** No script, no style, nothing from elsewhere: the page is a form that posts to its own origin. */
const PAGE_POLICY = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** What the sign-in page says above its form (or instead of it, once signed in). */
export interface SignInPage {
  status: ContentfulStatusCode;
  message?: string;
  signedIn?: { keyId: string; until: Date };
  uiUrl: string;
}

/**
 * The codec endpoint's sign-in page for browsers: an operator pastes an API key with the scope payloads:decode once,
 * and the Temporal Web UI's calls to the codec endpoint then carry the session cookie ("include credentials").
 */
export function renderSignInPage(c: Context, page: SignInPage): Response {
  const ui = `<a href="${escape(page.uiUrl)}">the Temporal Web UI</a>`;
  const body = page.signedIn
    ? `<p>Signed in with key <code>${escape(page.signedIn.keyId)}</code> until ${escape(page.signedIn.until.toISOString())}.
Payments now read in clear in ${ui}.</p>
<form method="post" action="/codec/session/end"><button type="submit">Sign out</button></form>`
    : `<form method="post" action="/codec/session">
<label>Operator API key (scope payloads:decode)<br><input type="password" name="key" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
<p>Then open ${ui}. Its codec settings must include cross-origin credentials.</p>`;
  const message = page.message ? `<p><strong>${escape(page.message)}</strong></p>\n` : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Payments codec: sign in</title></head>
<body><h1>Read payments in the Temporal Web UI</h1>
${message}${body}
</body></html>
`;
  return c.html(html, page.status, {
    'Content-Security-Policy': PAGE_POLICY,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
  });
}
