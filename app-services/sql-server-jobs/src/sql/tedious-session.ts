import { Connection, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import type { SqlSettings } from '../connection/sql-settings';
import type { SqlParameters, SqlRow, SqlSession, SqlValue } from './sql-session';

const CONNECT_TIMEOUT_MS = 15_000;

/** The tedious configuration: TLS required, the server's certificate checked against the site CA and MSSQL_HOST. */
export function tediousConfiguration(settings: SqlSettings): ConnectionConfiguration {
  return {
    server: settings.host,
    authentication: { type: 'default', options: { userName: settings.user, password: settings.password } },
    options: {
      port: settings.port,
      database: 'master',
      encrypt: true,
      trustServerCertificate: false,
      serverName: settings.host,
      cryptoCredentialsDetails: { ca: settings.caCertificates },
      connectTimeout: CONNECT_TIMEOUT_MS,
      // BACKUP and RESTORE of a large database run for as long as they need.
      requestTimeout: 0,
      useUTC: true,
      appName: 'lms-sql-server-jobs',
    },
  };
}

/** A {@link SqlSession} over one tedious connection; statements run one at a time. */
export class TediousSession implements SqlSession {
  private constructor(private readonly connection: Connection) {}

  static connect(settings: SqlSettings): Promise<TediousSession> {
    return new Promise((resolve, reject) => {
      const connection = new Connection(tediousConfiguration(settings));
      connection.connect((error) => {
        if (error !== undefined && error !== null) {
          connection.close();
          reject(new Error(`cannot connect to SQL Server ${settings.host}:${settings.port} as ${settings.user}: ${error.message}`));
          return;
        }
        resolve(new TediousSession(connection));
      });
    });
  }

  query(text: string, parameters: SqlParameters = {}): Promise<SqlRow[]> {
    return new Promise((resolve, reject) => {
      let rows: SqlRow[] = [];
      const request = new Request(text, (error) => (error ? reject(error) : resolve(rows)));
      for (const [name, value] of Object.entries(parameters)) addParameter(request, name, value);
      // Batches may return several result sets; the rows of the last one are the answer.
      request.on('columnMetadata', () => {
        rows = [];
      });
      request.on('row', (columns: Array<{ value: unknown; metadata: { colName: string } }>) => {
        rows.push(Object.fromEntries(columns.map((column) => [column.metadata.colName, column.value])));
      });
      this.connection.execSql(request);
    });
  }

  async execute(text: string, parameters: SqlParameters = {}): Promise<void> {
    await this.query(text, parameters);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.connection.once('end', () => resolve());
      this.connection.close();
    });
  }
}

function addParameter(request: Request, name: string, value: SqlValue): void {
  if (value === null || typeof value === 'string') request.addParameter(name, TYPES.NVarChar, value);
  else if (typeof value === 'boolean') request.addParameter(name, TYPES.Bit, value);
  else if (value instanceof Date) request.addParameter(name, TYPES.DateTime2, value, { scale: 3 });
  else if (Number.isInteger(value) && Math.abs(value) <= 2_147_483_647) request.addParameter(name, TYPES.Int, value);
  else request.addParameter(name, TYPES.BigInt, value);
}
