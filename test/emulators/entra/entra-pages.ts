/**
 * HTML for the emulator's interactive pages. Stable ids/names for Playwright and people:
 *
 *  sign-in       form#signin  input#username[name=username]  input#password[name=password]
 *                button#signin-submit   error: #signin-error   cancel: button#signin-cancel
 *  MFA           form#mfa     input#otc[name=otc] (6 digits)  button#mfa-submit  error: #mfa-error
 *  account pick  form#account-picker  button[name=account][value=<username>]  button#use-another-account
 *  consent       form#consent  button#consent-accept  button#consent-cancel
 *  device login  form#devicelogin  input#usercode[name=usercode]  button#devicelogin-submit
 *                error: #devicelogin-error   finished: #devicelogin-done
 *  form_post     form#form-post (auto-submits to the redirect URI)
 *  error page    #error-code (the AADSTS code)  #error-message
 */
import { escapeHtml as h } from '../http/http-kit.js';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${h(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:420px;margin:48px auto;background:#fff;padding:32px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:22px;font-weight:600;margin:0 0 16px}
label{display:block;margin:12px 0 4px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:8px;font-size:15px}
button{margin-top:16px;padding:8px 20px;font-size:15px}
.error{color:#c00;margin:8px 0}.small{font-size:12px;color:#555}
</style></head><body><main>
<p class="small">KubeTray test identity provider (emulated Microsoft Entra ID)</p>
${body}
</main></body></html>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`)
    .join('\n');
}

export function signInPage(opts: { action: string; tx: string; appName: string; loginHint?: string; error?: string }): string {
  return page(
    'Sign in to your account',
    `<h1>Sign in</h1>
<p>to continue to ${h(opts.appName)}</p>
${opts.error ? `<p id="signin-error" class="error" role="alert">${h(opts.error)}</p>` : ''}
<form id="signin" method="post" action="${h(opts.action)}">
${hidden({ tx: opts.tx })}
<label for="username">Email, phone, or Skype</label>
<input id="username" name="username" type="email" autocomplete="username" value="${h(opts.loginHint ?? '')}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="signin-submit" type="submit">Sign in</button>
<button id="signin-cancel" type="submit" name="cancel" value="1" formnovalidate>Cancel</button>
</form>`,
  );
}

export function mfaPage(opts: { action: string; tx: string; username: string; error?: string; reason?: string }): string {
  return page(
    'Verify your identity',
    `<h1>Enter code</h1>
<p>${h(opts.reason ?? 'Your organization needs more information to keep your account secure.')}</p>
<p>Enter the code displayed in the authenticator app on your mobile device for <b>${h(opts.username)}</b>.</p>
${opts.error ? `<p id="mfa-error" class="error" role="alert">${h(opts.error)}</p>` : ''}
<form id="mfa" method="post" action="${h(opts.action)}">
${hidden({ tx: opts.tx })}
<label for="otc">Code</label>
<input id="otc" name="otc" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required>
<button id="mfa-submit" type="submit">Verify</button>
</form>`,
  );
}

export function accountPickerPage(opts: { action: string; tx: string; accounts: string[] }): string {
  const buttons = opts.accounts.map((a) => `<button type="submit" name="account" value="${h(a)}">${h(a)}</button>`).join('<br>');
  return page(
    'Pick an account',
    `<h1>Pick an account</h1>
<form id="account-picker" method="post" action="${h(opts.action)}">
${hidden({ tx: opts.tx })}
${buttons}<br>
<button id="use-another-account" type="submit" name="account" value="">Use another account</button>
</form>`,
  );
}

export function consentPage(opts: { action: string; tx: string; appName: string; scopes: string[] }): string {
  return page(
    'Permissions requested',
    `<h1>Permissions requested</h1>
<p>${h(opts.appName)} would like to:</p>
<ul>${opts.scopes.map((s) => `<li>${h(s)}</li>`).join('')}</ul>
<form id="consent" method="post" action="${h(opts.action)}">
${hidden({ tx: opts.tx })}
<button id="consent-accept" type="submit" name="consent" value="accept">Accept</button>
<button id="consent-cancel" type="submit" name="consent" value="cancel">Cancel</button>
</form>`,
  );
}

export function deviceLoginPage(opts: { action: string; error?: string; code?: string }): string {
  return page(
    'Enter code',
    `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${opts.error ? `<p id="devicelogin-error" class="error" role="alert">${h(opts.error)}</p>` : ''}
<form id="devicelogin" method="post" action="${h(opts.action)}">
<label for="usercode">Code</label>
<input id="usercode" name="usercode" autocomplete="off" value="${h(opts.code ?? '')}" required>
<button id="devicelogin-submit" type="submit">Next</button>
</form>`,
  );
}

export function deviceLoginDonePage(appName: string): string {
  return page(
    'You are signed in',
    `<h1 id="devicelogin-done">${h(appName)}</h1>
<p>You have signed in to the ${h(appName)} application on your device. You may now close this window.</p>`,
  );
}

export function errorPage(code: number, message: string): string {
  return page(
    'Sign in error',
    `<h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error-code">AADSTS${code}</p>
<p id="error-message">${h(message)}</p>`,
  );
}

/** The response_mode=form_post page: posts the result to the redirect URI by itself. */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Working...</title></head>
<body>
<form id="form-post" method="post" action="${h(redirectUri)}">
${hidden(fields)}
<noscript><button type="submit">Continue</button></noscript>
</form>
<script>document.getElementById('form-post').submit();</script>
</body></html>`;
}
