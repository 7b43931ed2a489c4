// PDF of a report: the HTML page printed by Debian's Chromium through playwright-core (no
// browser download). Only `--pdf` needs it; the HTML report never does.

import { existsSync } from "node:fs";
import { InputError } from "../errors.js";

export const CHROMIUM = process.env.MUSCAT_CHROMIUM ?? "/usr/bin/chromium";

export class PdfError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "PdfError";
  }
}

/**
 * Debian's Chromium, headless, with the flags this closed-network machine needs (no
 * background networking, no component updates, no sync): for PDFs and browser tests.
 */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Prints HTML to a PDF file with headless Chromium. */
export async function htmlToPdf(html: string, outPath: string): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new PdfError(
      `no Chromium at ${CHROMIUM}: install it (apt-get install chromium) or set MUSCAT_CHROMIUM`,
    );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    await page.pdf({
      path: outPath,
      format: "A4",
      printBackground: true,
      margin: { top: "12mm", bottom: "12mm", left: "10mm", right: "10mm" },
    });
  } finally {
    await browser.close();
  }
}
