import { inDatabase, quotedVariable, quoteName, quoteString, urlList } from '../../src/tsql/quote';

describe('quoting', () => {
  it('brackets identifiers, doubling ]', () => {
    expect(quoteName('lms')).toBe('[lms]');
    expect(quoteName('a]b[c')).toBe('[a]]b[c]');
    expect(quoteName('s3://minio:9000/sql-backups')).toBe('[s3://minio:9000/sql-backups]');
  });

  it('refuses identifiers SQL Server would not take', () => {
    expect(() => quoteName('')).toThrow(new Error('identifier "" has 0 characters (allowed: 1 to 128)'));
    expect(() => quoteName('x'.repeat(129))).toThrow(new Error(`identifier "${'x'.repeat(129)}" has 129 characters (allowed: 1 to 128)`));
  });

  it('quotes strings as Unicode literals, doubling quotes', () => {
    expect(quoteString("it's")).toBe("N'it''s'");
    expect(quoteString('')).toBe("N''");
  });

  it('quotes a variable inside dynamic SQL with REPLACE, which has no length limit', () => {
    expect(quotedVariable('@password')).toBe("N'N''' + REPLACE(@password, N'''', N'''''') + N''''");
  });

  it('lists URLs and runs statements in another database', () => {
    expect(urlList(['s3://h/b/a', "s3://h/b/o'k"])).toBe("URL = N's3://h/b/a', URL = N's3://h/b/o''k'");
    expect(() => urlList([])).toThrow(new Error('a backup or restore needs at least one URL'));
    expect(inDatabase('lms', "CREATE USER [x] FOR LOGIN [x];")).toBe("EXEC [lms].sys.sp_executesql N'CREATE USER [x] FOR LOGIN [x];';");
  });
});
