import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pinImage } from '../../../stacks/delivery/pin-image';
import { PROJECT_ROOT, environmentNamed } from '../../support/environments';

let scratch: string;
const DIGEST = `sha256:${'b'.repeat(64)}`;

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-pin-image-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'environments/pins'), scratch, { recursive: true });
});

afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const files = () => Object.fromEntries(fs.readdirSync(scratch).sort().map((name) => [name, fs.statSync(path.join(scratch, name)).isFile() ? fs.readFileSync(path.join(scratch, name), 'utf8') : 'folder']));

test('records a pushed build in dev\'s pins, nothing else changed', () => {
  const before = files();
  const message = pinImage(['--env', 'dev', '--tag', '0.1.0-3f2a1b0c9d8e', '--digest', DIGEST, '--pins-dir', scratch]);
  const shown = path.relative(process.cwd(), path.join(scratch, 'dev.json'));
  const old = environmentNamed('dev').pins.loanService;
  expect(message).toBe(`${shown}: loanService ${old.tag}@${old.digest} -> 0.1.0-3f2a1b0c9d8e@${DIGEST}\n`);
  const dev = JSON.parse(fs.readFileSync(path.join(scratch, 'dev.json'), 'utf8'));
  expect(dev.loanService).toEqual({ tag: '0.1.0-3f2a1b0c9d8e', digest: DIGEST });
  expect(dev.charts).toEqual(JSON.parse(before['dev.json']).charts);
  const after = files();
  expect({ ...after, 'dev.json': '' }).toEqual({ ...before, 'dev.json': '' });
});

test('staging and production take builds only through promotion; a bad digest is refused; nothing is written', () => {
  const before = files();
  expect(() => pinImage(['--env', 'production', '--tag', '0.1.0', '--digest', DIGEST, '--pins-dir', scratch])).toThrow(
    '--env: "production" does not take new builds (allowed: dev; later environments receive a build through `npm run promote` once it is verified)',
  );
  const shown = path.relative(process.cwd(), path.join(scratch, 'dev.json'));
  expect(() => pinImage(['--env', 'dev', '--tag', '0.1.0', '--digest', 'sha256:latest', '--pins-dir', scratch])).toThrow(
    `${shown}: loanService.digest: "sha256:latest" is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)`,
  );
  expect(files()).toEqual(before);
});
