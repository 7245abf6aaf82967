import type { SqlParameters, SqlRow, SqlSession } from '../../src/sql/sql-session';

/** A statement the fake received. */
export interface RecordedStatement {
  readonly text: string;
  readonly parameters: SqlParameters;
}

type Answer = SqlRow[] | Error | ((parameters: SqlParameters) => SqlRow[]);

/**
 * A SqlSession that records every statement and answers from a script: `on(text, answer)`
 * answers statements whose text equals `text` (or matches a RegExp); the latest script wins;
 * unscripted statements return no rows.
 */
export class FakeSqlSession implements SqlSession {
  readonly statements: RecordedStatement[] = [];
  closed = false;
  private readonly scripts: Array<{ match: string | RegExp; answer: Answer }> = [];

  on(match: string | RegExp, answer: Answer): this {
    this.scripts.unshift({ match, answer });
    return this;
  }

  async query(text: string, parameters: SqlParameters = {}): Promise<SqlRow[]> {
    this.statements.push({ text, parameters });
    const script = this.scripts.find(({ match }) => (typeof match === 'string' ? match === text : match.test(text)));
    if (script === undefined) return [];
    if (script.answer instanceof Error) throw script.answer;
    return typeof script.answer === 'function' ? script.answer(parameters) : script.answer;
  }

  async execute(text: string, parameters: SqlParameters = {}): Promise<void> {
    await this.query(text, parameters);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The texts received, in order. */
  texts(): string[] {
    return this.statements.map((statement) => statement.text);
  }
}
