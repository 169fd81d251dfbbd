// Skip puppeteer's browser download whenever a system Chromium is present (or
// PUPPETEER_SKIP_DOWNLOAD is set): offline machines fail the download, and the
// gateway prefers the distribution's browser anyway (see src/engines/wwebjs/browser.ts).
const fs = require('node:fs');

const systemBrowsers = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const hasSystemBrowser = systemBrowsers.some((p) => p && fs.existsSync(p));
const skipByEnv = ['1', 'true'].includes(String(process.env.PUPPETEER_SKIP_DOWNLOAD).toLowerCase());

module.exports = { skipDownload: hasSystemBrowser || skipByEnv };
