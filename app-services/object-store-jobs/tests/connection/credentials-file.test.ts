import { parseCredentials, readCredentialsFile } from '../../src/connection/credentials-file';
import { ConfigurationError } from '../../src/errors';

const FILE = '/vault/secrets/s3-credentials';
const FORMAT =
  'lines AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=..., each optionally prefixed by "export " and quoted; blank lines and # comments';

function problems(text: string): string[] {
  try {
    parseCredentials(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return [...(error as ConfigurationError).lines];
  }
  throw new Error('parseCredentials accepted the text');
}

describe('parseCredentials', () => {
  it.each([
    ['plain lines', 'AWS_ACCESS_KEY_ID=lms-jobs\nAWS_SECRET_ACCESS_KEY=s3cr3t/with+chars=\n'],
    ['export prefixes and double quotes', 'export AWS_ACCESS_KEY_ID="lms-jobs"\nexport AWS_SECRET_ACCESS_KEY="s3cr3t/with+chars="\n'],
    ['single quotes, CRLF, comments, blank lines and other keys', "# rendered by the Vault agent\r\n\r\nAWS_ACCESS_KEY_ID='lms-jobs'\r\nAWS_REGION=us-east-1\r\n  AWS_SECRET_ACCESS_KEY = 's3cr3t/with+chars='  \r\n"],
  ])('reads %s', (_name, text) => {
    expect(parseCredentials(text, FILE)).toEqual({ accessKeyId: 'lms-jobs', secretAccessKey: 's3cr3t/with+chars=' });
  });

  it('keeps a session token when there is one', () => {
    expect(parseCredentials('AWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=b\nAWS_SESSION_TOKEN="c"\n', FILE)).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      sessionToken: 'c',
    });
  });

  it('names missing and empty keys', () => {
    expect(problems('AWS_ACCESS_KEY_ID=""\n')).toEqual([
      `S3_CREDENTIALS_FILE: "${FILE}" line 1: AWS_ACCESS_KEY_ID is empty (allowed: a non-empty value)`,
      `S3_CREDENTIALS_FILE: "${FILE}" has no AWS_SECRET_ACCESS_KEY line (allowed: ${FORMAT})`,
    ]);
    expect(problems('')).toEqual([
      `S3_CREDENTIALS_FILE: "${FILE}" has no AWS_ACCESS_KEY_ID line (allowed: ${FORMAT})`,
      `S3_CREDENTIALS_FILE: "${FILE}" has no AWS_SECRET_ACCESS_KEY line (allowed: ${FORMAT})`,
    ]);
  });

  it('names malformed lines by number and never prints a value', () => {
    const lines = problems('AWS_ACCESS_KEY_ID=a\nthis-is-the-secret-pasted-alone\nAWS_SECRET_ACCESS_KEY="unclosed-secret\nAWS_ACCESS_KEY_ID=b\n');
    expect(lines).toEqual([
      `S3_CREDENTIALS_FILE: "${FILE}" line 2 is not KEY=value (allowed: ${FORMAT})`,
      `S3_CREDENTIALS_FILE: "${FILE}" line 3: the value of AWS_SECRET_ACCESS_KEY has an unmatched quote (allowed: 'value', "value" or value)`,
      `S3_CREDENTIALS_FILE: "${FILE}" sets AWS_ACCESS_KEY_ID twice, on lines 1 and 4 (allowed: once)`,
    ]);
    expect(lines.join('\n')).not.toMatch(/secret-pasted|unclosed-secret/);
  });

  it.each([`'mixed"`, `"a"b"`, `a"b`, `"`])('refuses the unbalanced quoting %s', (value) => {
    expect(problems(`AWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=${value}\n`)).toEqual([
      `S3_CREDENTIALS_FILE: "${FILE}" line 2: the value of AWS_SECRET_ACCESS_KEY has an unmatched quote (allowed: 'value', "value" or value)`,
    ]);
  });
});

describe('readCredentialsFile', () => {
  it('names a file it cannot read', () => {
    expect(() => readCredentialsFile('/nonexistent/s3-credentials')).toThrow(
      new ConfigurationError([`S3_CREDENTIALS_FILE: cannot read "/nonexistent/s3-credentials" (ENOENT: no such file or directory; allowed: a file with ${FORMAT})`]),
    );
  });
});
