// End-to-end tests: the demo site served by `akkoord serve`, in the system Chromium, with
// every vendor host answered by local fakes (vendors.js) and every other host blocked.
'use strict';

const path = require('path');
const { defineConfig } = require('@playwright/test');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

module.exports = defineConfig({
  testDir: __dirname,
  testMatch: /.*\.spec\.js$/,
  outputDir: path.join(__dirname, 'test-results'),
  timeout: 30_000,
  // Generous: the machines are shared with Rust builds, and the wasm compiles on first use.
  expect: { timeout: 10_000 },
  fullyParallel: true,
  // Two cores on the machines this runs on; each worker runs one server and one browser.
  workers: Number(process.env.AKKOORD_E2E_WORKERS || 2),
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME || path.join(__dirname, 'playwright-report', 'results.json') }],
  ],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.AKKOORD_CHROMIUM || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    locale: 'nl-NL',
    serviceWorkers: 'block',
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
