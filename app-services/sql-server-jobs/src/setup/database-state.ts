import type { SqlSession } from '../sql/sql-session';
import { databaseStateQuery } from '../tsql/queries';

/** A database as sys.databases has it. */
export interface DatabaseState {
  /** ONLINE, RESTORING, RECOVERING, RECOVERY_PENDING, SUSPECT, EMERGENCY, OFFLINE. */
  readonly state: string;
  /** Restored WITH STANDBY: ONLINE but read-only, and further logs can be restored. */
  readonly inStandby: boolean;
  readonly recoveryModel: string;
}

/** The database's state, or undefined when it does not exist. */
export async function readDatabaseState(session: SqlSession, database: string): Promise<DatabaseState | undefined> {
  const row = (await session.query(databaseStateQuery(database)))[0];
  if (row === undefined) return undefined;
  return { state: String(row['state_desc']), inStandby: row['is_in_standby'] === true || row['is_in_standby'] === 1, recoveryModel: String(row['recovery_model_desc']) };
}

export function describeDatabaseState(state: DatabaseState): string {
  return state.inStandby ? `${state.state} (standby, read-only)` : state.state;
}
