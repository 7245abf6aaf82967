import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EnvironmentError, checkPins, loadEnvironments, readPins } from '../../../environments/load';
import { VERSIONS } from '../../../constructs/versions';
import { ENVIRONMENTS, PROJECT_ROOT } from '../../support/environments';

const FILE = 'environments/pins/production.json';

/** The project's production pins, as parsed JSON, to break in a test. */
function rawPins(): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, FILE), 'utf8'));
}

describe('environment pins', () => {
  test('every environment carries exactly its own pins file', () => {
    // Not compared with versions.ts: CI moves the pins (a new dev build, a promotion) without a code change.
    expect(ENVIRONMENTS.map((env) => [env.name, env.pins])).toEqual(
      ['dev', 'staging', 'production'].map((name) => [name, JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'environments/pins', `${name}.json`), 'utf8'))]),
    );
    expect(Object.keys(ENVIRONMENTS[0].pins.charts)).toEqual(Object.keys(VERSIONS.charts));
  });

  test('the files are written as promote writes them', () => {
    for (const name of ['dev', 'staging', 'production']) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, 'environments/pins', `${name}.json`), 'utf8');
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    }
  });

  test('a bad value names the file, the field, the value and what is allowed', () => {
    const pins = rawPins();
    pins.toolkitRelease = 'latest';
    pins.loanService.digest = 'sha256:ABC';
    pins.loanService.tag = 'has space';
    pins.charts.vault = '0.99.0';
    delete pins.charts.metallb;
    pins.charts.nginx = '1.0.0';
    expect(checkPins(pins, FILE).problems).toEqual([
      `${FILE}: toolkitRelease: "latest" is not a toolkit release (allowed: a release tag such as "v0.1.0" or "v0.2.0-rc.1")`,
      `${FILE}: loanService.tag: "has space" is not an image tag (allowed: letters, digits, "_", "." and "-", at most 128)`,
      `${FILE}: loanService.digest: "sha256:ABC" is not an image digest (allowed: "sha256:" and 64 lower-case hex digits)`,
      `${FILE}: charts.metallb: nothing is not a chart version (allowed: 0.16.1)`,
      `${FILE}: charts.vault: "0.99.0" is not a supported vault chart version (allowed: 0.34.1; constructs/versions.ts lists the versions the components are written for)`,
      `${FILE}: charts.nginx: unknown key (allowed: certManager, traefik, metallb, vault, kubePrometheusStack, eckOperator)`,
    ]);
  });

  test('a missing or unreadable file, and the loader reporting it with the environment files\' problems', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-pins-'));
    try {
      expect(readPins(scratch, 'staging', scratch).problems).toEqual([
        'staging.json: cannot be read: ENOENT (allowed: a JSON file with the pins of environment "staging": toolkitRelease, loanService, charts)',
      ]);
      fs.writeFileSync(path.join(scratch, 'staging.json'), '{ "toolkitRelease": ');
      expect(readPins(scratch, 'staging', scratch).problems).toEqual([
        'staging.json: is not JSON: Unexpected end of JSON input (allowed: a JSON object with toolkitRelease, loanService, charts)',
      ]);
      for (const name of ['dev', 'production']) fs.copyFileSync(path.join(PROJECT_ROOT, 'environments/pins', `${name}.json`), path.join(scratch, `${name}.json`));
      let problems: readonly string[] = [];
      try {
        loadEnvironments(path.join(PROJECT_ROOT, 'environments'), { pinsDirectory: scratch, relativeTo: scratch });
      } catch (error) {
        problems = (error as EnvironmentError).problems;
      }
      expect(problems).toEqual(['staging.json: is not JSON: Unexpected end of JSON input (allowed: a JSON object with toolkitRelease, loanService, charts)']);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
