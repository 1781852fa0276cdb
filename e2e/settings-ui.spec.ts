// The settings UI in a real browser against `mailward run` and a real Dovecot: what a user does in
// Advanced setup changes what their mail client receives, and detections show up live.
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSamples, containsEicar } from '../test/fixtures/samples.ts';
import { curlPop3Retrieve, type CurlTarget } from './helpers/clients.ts';
import { startDovecot, type RunningDovecot } from './helpers/dovecot.ts';
import { consoleOf, REPO_ROOT, startMailward, type RunningMailward } from './helpers/mailward.ts';
import { ConsoleApp } from './pages/console-app.ts';

interface Service {
  dovecot: RunningDovecot;
  mailward: RunningMailward;
  consoleUrl: string;
  origin: string;
  original: Buffer;
  /** Retrieve POP3 message 1 through Mailward's route. */
  fetchThroughProxy(): Promise<Buffer>;
  /** Retrieve POP3 message 1 straight from Dovecot. */
  fetchDirect(): Promise<Buffer>;
}

const test = base.extend<{ app: ConsoleApp }, { service: Service }>({
  service: [
    async ({}, use) => {
      const original = buildSamples().eicarBase64Attachment;
      const dovecot = await startDovecot({ messages: [original] });
      let mailward: RunningMailward | undefined;
      try {
        mailward = await startMailward({
          routes: [`127.0.0.1:0=pop3://127.0.0.1:${dovecot.ports.pop3}`],
          args: ['--console-port', '0'],
        });
        const served = await consoleOf(mailward);
        const target = (port: number): CurlTarget => ({
          scheme: 'pop3',
          host: '127.0.0.1',
          port,
          user: dovecot.user,
          password: dovecot.password,
        });
        const fetch1 = async (port: number) => {
          const r = await curlPop3Retrieve(target(port), [1]);
          if (!r.messages[0]) throw new Error(`curl failed (${r.code}): ${r.stderr}`);
          return r.messages[0];
        };
        const proxyPort = mailward.listener('pop3').port;
        await use({
          dovecot,
          mailward,
          consoleUrl: served.url,
          origin: served.origin,
          original,
          fetchThroughProxy: () => fetch1(proxyPort),
          fetchDirect: () => fetch1(dovecot.ports.pop3),
        });
      } finally {
        await mailward?.stop();
        mailward?.cleanup();
        await dovecot.stop();
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  app: async ({ page, service }, use) => {
    const app = new ConsoleApp(page);
    await app.open(service.consoleUrl);
    await use(app);
  },
});

const POP3 = 'Enable POP3 checking';

/** A screen reader can name every control: the accessibility tree has no unnamed interactive node. */
async function expectEveryControlNamed(page: Page): Promise<void> {
  const tree = await page.locator('body').ariaSnapshot();
  const unnamed = tree
    .split('\n')
    // `- textbox "Name": value` is named; `- textbox: value`, `- button` or `- combobox:` are not.
    .filter((l) => /^\s*- (textbox|combobox|checkbox|switch|button|treeitem|searchbox|link)(?! ")/.test(l));
  expect(unnamed, tree).toEqual([]);
}

test.describe.serial('settings console', () => {
  test('an invalid token gets 401 and no data', async ({ service, page, request }) => {
    for (const auth of ['Bearer wrong-token', '']) {
      const r = await request.post(`${service.origin}/api/getSettings`, {
        headers: auth ? { Authorization: auth } : {},
        data: { args: [] },
      });
      expect(r.status()).toBe(401);
      expect(await r.text()).not.toContain('webAndEmail');
    }
    await page.goto(`${service.origin}/#token=wrong-token`);
    await expect(page.getByRole('alert')).toContainText('refused the access token');
    await expect(page.getByRole('tree')).toHaveCount(0);
  });

  test('the tree is navigated with the keyboard to Email protocols', async ({ app }) => {
    await app.goTo('Advanced setup');
    const setup = app.setup;
    await setup.treeItem('Web and email').focus();
    await expect(setup.treeItem('Web and email')).toBeFocused();
    await app.page.keyboard.press('ArrowDown');
    await expect(setup.treeItem('Email client protection')).toBeFocused();
    await app.page.keyboard.press('ArrowLeft'); // collapses it
    await expect(setup.treeItem('Email client protection')).toHaveAttribute('aria-expanded', 'false');
    await app.page.keyboard.press('ArrowRight'); // opens it again
    await app.page.keyboard.press('ArrowDown');
    await expect(setup.treeItem('Email protocols')).toBeFocused();
    await expect(setup.treeItem('Email protocols')).toHaveAttribute('aria-selected', 'true');
    await expect(setup.pageTitle()).toHaveText('Email protocols');
  });

  test('an invalid port list shows its error and disables OK until fixed', async ({ app }) => {
    await app.goTo('Advanced setup');
    const setup = app.setup;
    await setup.openPage('Email protocols');
    await setup.field('Ports used by IMAPS').fill('993, abc');
    await expect(setup.fieldError('Ports used by IMAPS')).toHaveText('"abc" is not a port number');
    await expect(setup.field('Ports used by IMAPS')).toHaveAttribute('aria-invalid', 'true');
    await expect(setup.ok()).toBeDisabled();
    await setup.field('Ports used by IMAPS').fill('99999');
    await expect(setup.fieldError('Ports used by IMAPS')).toHaveText('Port 99999 is out of range 1–65535');
    await setup.field('Ports used by IMAPS').fill('993');
    await expect(setup.fieldError('Ports used by IMAPS')).toHaveCount(0);
    await expect(setup.ok()).toBeEnabled();
    await setup.cancel().click();
    await expect(setup.field('Ports used by IMAPS')).toHaveValue('585, 993');
  });

  test('with POP3 checking off, the EICAR message arrives unchanged', async ({ app, service }) => {
    await app.goTo('Advanced setup');
    await app.setup.openPage('Email protocols');
    await app.setup.field(POP3).uncheck();
    await expect(app.setup.field('Ports used by POP3')).toBeDisabled();
    await app.setup.applyAndWait();
    const settings = await service.mailward.cli([
      'settings',
      'get',
      'webAndEmail.emailClientProtection.emailProtocols.pop3.enabled',
    ]);
    expect(settings.stdout.trim()).toMatch(/false$/);

    const through = await service.fetchThroughProxy();
    const direct = await service.fetchDirect();
    expect(through.equals(direct)).toBe(true);
    expect(await containsEicar(through)).toBe(true);
  });

  test('with POP3 checking on again, the next fetch is cleaned and listed live on Detections', async ({
    app,
    service,
  }) => {
    await app.goTo('Advanced setup');
    await app.setup.openPage('Email protocols');
    await app.setup.field(POP3).check();
    await app.setup.applyAndWait();
    await app.goTo('Detections');
    await app.markPage();
    const before = await app.detections.rows().count();

    const cleaned = await service.fetchThroughProxy();
    expect(await containsEicar(cleaned)).toBe(false);
    // The promise: the detection is on screen within a second of the fetch, without a reload.
    await expect(app.detections.rows()).toHaveCount(before + 1, { timeout: 1_000 });
    await expect(app.detections.rows().first()).toContainText('Eicar-Test-Signature');
    await expect(app.detections.rows().first()).toContainText('POP3');
    expect(await app.stillSamePage()).toBe(true);

    // Detail view, and the original saved as a file (never re-delivered).
    await app.detections.rows().first().getByRole('button').click();
    await expect(app.page.getByRole('heading', { name: 'Eicar-Test-Signature' })).toBeVisible();
    const download = app.page.waitForEvent('download');
    await app.page.getByRole('button', { name: 'Save original…' }).click();
    const file = await (await download).path();
    const saved = readFileSync(file);
    // The original as the server sent it: infected, same headers.
    expect(await containsEicar(saved)).toBe(true);
    const subject = /^Subject: .*$/m.exec(service.original.toString('latin1'))![0];
    expect(saved.toString('latin1')).toContain(subject);
    await expect(app.page.getByRole('status').filter({ hasText: 'not delivered' })).toBeVisible();
  });

  test('a detection deep link (as a notification opens it) shows its detail after a reload', async ({
    app,
    service,
  }) => {
    // A detection to link to, also when this test runs alone.
    await service.fetchThroughProxy();
    await app.goTo('Detections');
    await app.detections.rows().first().getByRole('button').click();
    // Clicking a row writes its route into the address bar: the link a notification opens.
    await expect(app.page).toHaveURL(/#\/detections\/[^/]+$/);
    const link = app.page.url();
    await app.goTo('Status');
    await expect(app.page).toHaveURL(/#\/status$/);
    await app.page.goBack();
    await expect(app.page.getByRole('heading', { name: 'Eicar-Test-Signature' })).toBeVisible();
    await app.goTo('Status');
    // A fresh load of the link: the console token comes from the tab's session, the detail opens.
    await app.page.goto(link);
    await app.page.reload();
    await expect(app.detections.table()).toBeVisible();
    await expect(app.page.getByRole('heading', { name: 'Eicar-Test-Signature' })).toBeVisible();
    await app.page.goto(`${link}-unknown`);
    await expect(app.page.getByRole('alert')).toContainText('is not in the log');
  });

  test('the subject template preview updates as you type', async ({ app }) => {
    await app.goTo('Advanced setup');
    await app.setup.openPage('Alerts and notifications');
    const field = app.setup.field('Text to add to the subject of infected email');
    const preview = app.page.getByRole('status', { name: 'Subject preview' });
    await expect(preview).toHaveText('Invoice for March [detection Eicar-Test-Signature]');
    await field.fill('');
    await field.pressSequentially('*** %DETECTIONNAME');
    await expect(preview).toHaveText('Invoice for March *** %DETECTIONNAME');
    await field.press('%');
    await expect(preview).toHaveText('Invoice for March *** Eicar-Test-Signature');
    await app.setup.cancel().click();
  });

  test('a change made with `mailward settings set` shows up in the open page', async ({ app, service }) => {
    await app.goTo('Advanced setup');
    await app.setup.openPage('Alerts and notifications');
    await app.markPage();
    const toggle = app.setup.field('Append note to the subject of received and read infected email');
    await expect(toggle).toBeChecked();
    const r = await service.mailward.cli([
      'settings',
      'set',
      'webAndEmail.emailClientProtection.alerts.subjectTag',
      'false',
    ]);
    expect(r.code).toBe(0);
    await expect(toggle).not.toBeChecked();
    await expect(
      app.page.locator('.field', { has: toggle }).getByText('Changed', { exact: true }),
    ).toBeVisible();
    expect(await app.stillSamePage()).toBe(true);
    await app.page.getByRole('button', { name: 'Revert page to defaults' }).click();
    await app.setup.applyAndWait();
    await expect(toggle).toBeChecked();
  });

  test('the search box filters settings by name', async ({ app }) => {
    await app.goTo('Advanced setup');
    await app.setup.search().fill('certificate');
    await expect(app.page.getByLabel('Trusted certificates')).toBeVisible();
    await expect(app.page.getByLabel('Ports used by IMAPS')).toHaveCount(0);
    await expect(app.setup.treeItem('Email protocols')).toHaveCount(0);
    await expect(app.setup.treeItem('SSL/TLS')).toBeVisible();
    await app.setup.search().fill('');
  });

  test('pause and resume from the status page', async ({ app }) => {
    await expect(app.status.heading()).toHaveText('You are protected');
    await app.page.getByLabel('Pause for').selectOption({ label: '10 minutes' });
    await app.page.getByRole('button', { name: 'Pause protection' }).click();
    await expect(app.status.heading()).toHaveText('Protection is off');
    await expect(app.page.getByText(/Protection is paused until/)).toBeVisible();
    await app.page.getByRole('button', { name: 'Resume protection' }).click();
    await expect(app.status.heading()).toHaveText('You are protected');
  });

  test('the SSL/TLS page shows the root certificate and exports it', async ({ app, service }) => {
    await app.goTo('Advanced setup');
    await app.setup.openPage('SSL/TLS');
    const fp = app.page.getByLabel('Root certificate fingerprint');
    await expect(fp).toHaveText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const download = app.page.waitForEvent('download');
    await app.page.getByRole('button', { name: 'Export…' }).click();
    const pem = readFileSync(await (await download).path(), 'utf8');
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    const cli = await service.mailward.cli(['ca', 'fingerprint']);
    if (cli.code === 0) expect(cli.stdout).toContain(await fp.innerText());
  });

  test('screenshots of every page, light and dark', async ({ app, service }) => {
    // A detection to show, also when this test runs alone.
    await service.fetchThroughProxy();
    const dir = join(REPO_ROOT, 'docs', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const page: Page = app.page;
    const pages = [
      'Web and email',
      'Email client protection',
      'Email protocols',
      'Alerts and notifications',
      'SSL/TLS',
      'Protocol filtering',
      'Scanner limits',
      'Routes',
      'User interface',
    ];
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1280, height: 860 });
      const shoot = async (name: string) => {
        await expectEveryControlNamed(page);
        // Tall pages: grow the window so the sticky OK/Cancel bar sits under the content.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width: 1280, height: Math.max(860, height) });
        await page.screenshot({ path: join(dir, `${name}-${scheme}.png`) });
        await page.setViewportSize({ width: 1280, height: 860 });
      };
      await app.goTo('Status');
      await shoot('status');
      await app.goTo('Advanced setup');
      for (const title of pages) {
        await app.setup.openPage(title);
        await shoot(`setup-${slug(title)}`);
      }
      await app.setup.openPage('Email protocols');
      await app.setup.field('Ports used by IMAPS').fill('993, abc');
      await shoot('setup-validation-error');
      await app.setup.cancel().click();
      await app.goTo('Detections');
      await app.detections.rows().first().getByRole('button').click();
      await shoot('detections');
    }
  });
});
