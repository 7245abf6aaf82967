// node-sql-parser's T-SQL grammar covers SELECT, INSERT and DECLARE/EXEC batches, but not BACKUP,
// RESTORE, CREATE/ALTER DATABASE, ALTER SERVER ROLE, IF ... BEGIN ... END or EXEC of a procedure
// with a string argument: those statements are checked as exact text only.
import { Parser } from 'node-sql-parser/build/transactsql';

const parser = new Parser();

/** Parses `text` as T-SQL; throws the parser's error when it is not valid for the grammar. */
export function parseTsql(text: string): unknown {
  return parser.astify(text, { database: 'transactsql' });
}
