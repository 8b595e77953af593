/**
 * Browser tests of the console: the real app (test/helpers/app) serving the built console on a real port, the
 * real SMTP sink, and Debian's Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type Server } from 'node:http';
import path from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { type TestApp, createTestApp } from '../../helpers/app';
import { freePort, sleep } from '../../helpers/processes';
import { SmtpReceiver } from '../../helpers/smtp';

const root = path.resolve(__dirname, '../../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

/** Newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'gql' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/**
 * Builds the console (`npm run build:web`) when dist/web is missing or older than web/ or the schema. Two jest
 * workers may ask at once: a lock directory lets one build while the other waits.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  const index = path.join(root, 'dist/web/index.html');
  const stale = () =>
    !existsSync(index) ||
    statSync(index).mtimeMs <
      Math.max(newest(path.join(root, 'web')), statSync(path.join(root, 'schema/schema.graphql')).mtimeMs);
  if (!stale()) return;
  const lock = path.join(root, 'dist/.web-build.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true }); // a crashed build left it behind
      await sleep(250);
    }
  }
  try {
    if (stale()) execFileSync('npm', ['run', 'build:web'], { cwd: root, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ConsoleEnv {
  t: TestApp;
  baseUrl: string;
  smtp: SmtpReceiver;
  browser: Browser;
  close: () => Promise<void>;
}

/** The app on 127.0.0.1 with PUBLIC_URL set to its own origin (the sign-in endpoints check Origin). */
export async function startConsole(
  overrides: Record<string, string> | ((baseUrl: string) => Promise<Record<string, string>>) = {},
): Promise<ConsoleEnv> {
  await ensureConsoleBuilt();
  const smtp = new SmtpReceiver();
  const smtpPort = await smtp.start();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const extra = typeof overrides === 'function' ? await overrides(baseUrl) : overrides;
  const t = await createTestApp({
    PUBLIC_URL: baseUrl,
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SIGN_IN_RATE_LIMIT: '10000',
    LOG_LEVEL: 'silent',
    ...extra,
  });
  t.dispatcher.start();
  const server: Server = t.app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return {
    t,
    baseUrl,
    smtp,
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.dispatcher.stop();
      await smtp.stop();
      await t.close();
    },
  };
}

/** A fresh browser profile (cookies, storage) at a viewport size. */
export async function newContext(env: ConsoleEnv, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await env.browser.newContext({ viewport, baseURL: env.baseUrl, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * Waits until `locator` matches exactly `count` elements. A list that is loading a new filter shows its old rows,
 * then a spinner, then the new rows, so a single count right after one row appeared can see either.
 */
export async function untilCount(locator: Locator, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} matching elements, still ${seen} after ${timeoutMs} ms`);
    await sleep(50);
    seen = await locator.count();
  }
}

/** Signs in on /sign-in with a pasted access token, as an operator does. */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Access token', { exact: true }).fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the console's CSP stays as served)
 * and returns the serious and critical violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length)
    throw new Error(
      `axe: ${violations.length} serious/critical violation(s) on ${page.url()}:\n${JSON.stringify(violations, null, 2)}`,
    );
}

/**
 * With CONSOLE_SCREENSHOTS=1, saves the page at desktop and phone sizes into docs/screenshots/<name>-{desktop,mobile}.png
 * (off by default so test runs leave the working tree alone).
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  const dir = path.join(root, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [suffix, size] of [
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const) {
    await page.setViewportSize(size);
    await page.evaluate('window.scrollTo(0, 0)');
    await sleep(300);
    await page.screenshot({ path: path.join(dir, `${name}-${suffix}.png`) });
  }
  await page.setViewportSize(original);
}

/** The link of the newest mail to `address` matching `pattern`, waiting for the outbox to deliver it. */
export async function linkFromMail(smtp: SmtpReceiver, address: string, pattern: RegExp): Promise<string> {
  await smtp.waitFor(() => smtp.to(address).some((m) => pattern.test(m.text)));
  const mails = smtp.to(address).filter((m) => pattern.test(m.text));
  return pattern.exec(mails[mails.length - 1].text)![0];
}

export const INVITATION_LINK = /https?:\/\/[^\s"<>]+\/invitations\/accept\?token=[^\s"<>]+/;
export const SIGN_IN_LINK = /https?:\/\/[^\s"<>]+\/sign-in\/link\?token=[^\s"<>]+/;

/** SCIM calls as an identity provider makes them, with the key read from the console. */
export function scimClient(scimUrl: string, apiKey: string, userAgent = 'JumpCloud-SCIM/2.0') {
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${scimUrl}${urlPath}`, {
      method,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/scim+json', 'User-Agent': userAgent },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (p: string) => call('GET', p),
    post: (p: string, body: unknown) => call('POST', p, body),
    patch: (p: string, body: unknown) => call('PATCH', p, body),
    put: (p: string, body: unknown) => call('PUT', p, body),
  };
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A user shaped as JumpCloud's default attribute mapping sends it (test/scim/idp/jumpcloud.test.ts). */
export function jumpCloudUser(email: string, given: string, family: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
    externalId: Math.random().toString(16).slice(2, 14).padEnd(24, '0'),
    userName: email,
    displayName: `${given} ${family}`,
    name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
    emails: [{ value: email, type: 'work', primary: true }],
    active: true,
    title: '',
    phoneNumbers: [{ value: '', type: 'work' }],
    addresses: [{ type: 'work', streetAddress: '', locality: '', region: '', postalCode: '', country: '' }],
    [ENTERPRISE]: {
      employeeNumber: '',
      department: '',
      costCenter: '',
      organization: '',
      division: '',
      manager: { value: '' },
    },
  };
}
