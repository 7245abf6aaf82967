/** The longest identifier (sysname) SQL Server accepts. */
export const MAX_IDENTIFIER_LENGTH = 128;

/** `lms` -> `[lms]`, `a]b` -> `[a]]b]`; as QUOTENAME does, and refused past 128 characters. */
export function quoteName(name: string): string {
  if (name.length === 0 || name.length > MAX_IDENTIFIER_LENGTH) {
    throw new Error(`identifier "${name}" has ${name.length} characters (allowed: 1 to ${MAX_IDENTIFIER_LENGTH})`);
  }
  return `[${name.replace(/]/g, ']]')}]`;
}

/** `it's` -> `N'it''s'`: a Unicode string literal. */
export function quoteString(text: string): string {
  return `N'${text.replace(/'/g, "''")}'`;
}

/**
 * The T-SQL expression that quotes the string in the variable `variable` as a literal inside
 * dynamic SQL. REPLACE, not QUOTENAME(@v, ''''), which returns NULL past 128 characters.
 */
export function quotedVariable(variable: string): string {
  return `N'N''' + REPLACE(${variable}, N'''', N'''''') + N''''`;
}

/** `FROM URL = N'a', URL = N'b'` lists. */
export function urlList(urls: readonly string[]): string {
  if (urls.length === 0) throw new Error('a backup or restore needs at least one URL');
  return urls.map((url) => `URL = ${quoteString(url)}`).join(', ');
}

/** Runs `statement` in the context of database `database`, leaving the session's own database as it was. */
export function inDatabase(database: string, statement: string): string {
  return `EXEC ${quoteName(database)}.sys.sp_executesql ${quoteString(statement)};`;
}
