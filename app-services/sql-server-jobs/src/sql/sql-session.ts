/** A parameter value of a statement: passed to SQL Server out of the text (secrets go only here). */
export type SqlValue = string | number | boolean | Date | null;
export type SqlParameters = Readonly<Record<string, SqlValue>>;
export type SqlRow = Readonly<Record<string, unknown>>;

/**
 * One connection to SQL Server. The program talks to SQL Server only through this interface:
 * {@link TediousSession} implements it for real, the tests with a fake that records statements
 * and returns scripted rows.
 */
export interface SqlSession {
  /** Runs a batch and returns the rows of its last result set. */
  query(text: string, parameters?: SqlParameters): Promise<SqlRow[]>;
  /** Runs a batch that returns no rows. */
  execute(text: string, parameters?: SqlParameters): Promise<void>;
  close(): Promise<void>;
}
