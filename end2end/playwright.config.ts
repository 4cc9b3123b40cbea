import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The server under test: the debug build that `cargo leptos build` made,
// on its own port and a fresh data folder with one organizer account.
const root = resolve(__dirname, '..');
const binary = join(root, 'target', 'debug', 'sangtao');
const port = process.env.E2E_PORT ?? '3100';
const baseURL = `http://127.0.0.1:${port}`;

// The config is loaded again in each worker; the main process prepares the
// data folder once and the workers inherit it through the environment.
if (!process.env.SANGTAO_E2E_DATA) {
  const data = mkdtempSync(join(tmpdir(), 'sangtao-e2e-'));
  const password = `e2e-${randomBytes(12).toString('hex')}`;
  execFileSync(binary, ['create-organizer', '--email', 'bantochuc@example.org'], {
    input: `${password}\n`,
    env: { ...process.env, SANGTAO_DATA_DIR: data, RUST_LOG: 'warn' },
  });
  process.env.SANGTAO_E2E_DATA = data;
  process.env.SANGTAO_E2E_PASSWORD = password;
}

export default defineConfig({
  testDir: './tests',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  // TODO: Remove this retry once CI history confirms the intermittent hydration panic on the
  // organizer's edition page is gone. About one run in six, a resource created inside another
  // resource's Suspend ran its server function after its owner was dropped during server
  // rendering ("should have had Parts provided"). The page now makes every fetch at its top;
  // six local runs in a row passed, which is not yet proof.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: binary,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
      SANGTAO_DATA_DIR: process.env.SANGTAO_E2E_DATA!,
      SANGTAO_PUBLIC_URL: baseURL,
      RUST_LOG: 'warn',
    },
  },
});
