import { readFileSync } from 'node:fs';
import { ConfigurationError, describeFileError } from '../errors';

/** Access keys for the object store. Never printed. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

const FORMAT =
  'lines AWS_ACCESS_KEY_ID=... and AWS_SECRET_ACCESS_KEY=..., each optionally prefixed by "export " and quoted; blank lines and # comments';
const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * Reads the credentials file the Vault agent renders (`S3_CREDENTIALS_FILE`): shell-style
 * `KEY=value` lines, `export ` prefix and single or double quotes allowed, no escapes.
 * `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` are required, `AWS_SESSION_TOKEN` optional;
 * other keys are ignored. Errors name the file and line, never a value.
 */
export function readCredentialsFile(file: string): S3Credentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError([`S3_CREDENTIALS_FILE: cannot read "${file}" (${describeFileError(error)}; allowed: a file with ${FORMAT})`]);
  }
  return parseCredentials(text, file);
}

/** Parses the text of a credentials file; `file` only names it in errors. */
export function parseCredentials(text: string, file: string): S3Credentials {
  const problems: string[] = [];
  const values = new Map<string, { value: string; line: number }>();
  /** Keys whose line was refused, so they are not reported missing as well. */
  const refused = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    if (match === null) {
      problems.push(`S3_CREDENTIALS_FILE: "${file}" line ${lineNumber} is not KEY=value (allowed: ${FORMAT})`);
      return;
    }
    const key = match[1] as string;
    const value = unquote(match[2] as string);
    if (value === undefined) {
      refused.add(key);
      problems.push(`S3_CREDENTIALS_FILE: "${file}" line ${lineNumber}: the value of ${key} has an unmatched quote (allowed: 'value', "value" or value)`);
      return;
    }
    const earlier = values.get(key);
    if (earlier !== undefined) {
      problems.push(`S3_CREDENTIALS_FILE: "${file}" sets ${key} twice, on lines ${earlier.line} and ${lineNumber} (allowed: once)`);
      return;
    }
    values.set(key, { value, line: lineNumber });
  });
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    const found = values.get(key);
    if (found === undefined && !refused.has(key)) problems.push(`S3_CREDENTIALS_FILE: "${file}" has no ${key} line (allowed: ${FORMAT})`);
    else if (found !== undefined && found.value === '') problems.push(`S3_CREDENTIALS_FILE: "${file}" line ${found.line}: ${key} is empty (allowed: a non-empty value)`);
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  const sessionToken = values.get('AWS_SESSION_TOKEN')?.value;
  return {
    accessKeyId: values.get('AWS_ACCESS_KEY_ID')?.value as string,
    secretAccessKey: values.get('AWS_SECRET_ACCESS_KEY')?.value as string,
    ...(sessionToken === undefined || sessionToken === '' ? {} : { sessionToken }),
  };
}

/** `'a b'` / `"a b"` / `ab` -> the value; undefined for an unmatched quote. */
function unquote(value: string): string | undefined {
  const first = value[0];
  if (first !== '"' && first !== "'") return value.includes('"') || value.includes("'") ? undefined : value;
  if (value.length < 2 || value[value.length - 1] !== first) return undefined;
  const inner = value.slice(1, -1);
  return inner.includes(first) ? undefined : inner;
}
