import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from '../support/chromium';

describe('findChromium', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'chromium-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('takes LMS_CHROMIUM first, else chromium on PATH, else nothing', () => {
    const onPath = join(directory, 'chromium');
    writeFileSync(onPath, '#!/bin/sh\n', { mode: 0o755 });
    const chrome = join(directory, 'chrome');
    writeFileSync(chrome, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ LMS_CHROMIUM: chrome, PATH: directory })).toBe(chrome);
    expect(findChromium({ PATH: `/nonexistent:${directory}` })).toBe(onPath);
    expect(findChromium({ PATH: '/nonexistent' })).toBeUndefined();
  });

  it('refuses an LMS_CHROMIUM that is not executable, and a missing Chromium when tools are required', () => {
    const notExecutable = join(directory, 'chromium');
    writeFileSync(notExecutable, 'text', { mode: 0o644 });
    expect(() => findChromium({ LMS_CHROMIUM: notExecutable })).toThrow(
      `LMS_CHROMIUM: "${notExecutable}" is not an executable file (allowed: the path of a Chromium or Chrome executable)`,
    );
    expect(() => findChromium({ PATH: '/nonexistent', LMS_REQUIRE_TOOLS: '1' })).toThrow(
      'Chromium is required (LMS_REQUIRE_TOOLS=1) but neither LMS_CHROMIUM nor chromium on PATH was found: ' +
        '`apt-get install chromium` (Debian), or point LMS_CHROMIUM at a Chromium or Chrome executable',
    );
  });
});
