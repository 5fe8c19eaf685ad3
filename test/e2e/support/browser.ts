import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (installed by the test command with apt); a Playwright browser download is not used. */
export const CHROMIUM_PATH = process.env.HIPCUE_CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export const PHONE = { width: 360, height: 780 } as const;
export const LAPTOP = { width: 1280, height: 800 } as const;
