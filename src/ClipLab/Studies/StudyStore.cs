using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ClipLab.Studies;

/// <summary>
/// The results store of a study folder: an SQLite file (<c>&lt;out&gt;/study.db</c>) with one row per finished run in
/// <c>runs</c>, its axis values in <c>axes</c> and its metrics in <c>metrics</c> (see docs/studies.md). A row is written in
/// one transaction when its run has finished, so a run is either in the store (finished) or not; readable with
/// <c>sqlite3</c>. Safe to write from several processes (SQLite's file lock, with a busy timeout).
/// </summary>
public sealed class StudyStore : IDisposable
{
    /// <summary>File name of the store inside a study folder.</summary>
    public const string FileName = "study.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS study (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            run_id TEXT PRIMARY KEY, study TEXT NOT NULL, scale TEXT NOT NULL, seed INTEGER NOT NULL,
            config_hash TEXT NOT NULL, resolved_config TEXT NOT NULL, samples_seen INTEGER NOT NULL, unique_pairs INTEGER NOT NULL,
            epochs REAL NOT NULL, gflops_per_sample REAL NOT NULL, total_gflops REAL NOT NULL, wall_seconds REAL NOT NULL,
            device TEXT NOT NULL, finished_utc TEXT NOT NULL, paper_gflops_per_sample REAL);
        CREATE TABLE IF NOT EXISTS axes (run_id TEXT NOT NULL REFERENCES runs(run_id), key TEXT NOT NULL, value TEXT NOT NULL, position INTEGER NOT NULL,
            PRIMARY KEY (run_id, key));
        CREATE TABLE IF NOT EXISTS metrics (run_id TEXT NOT NULL REFERENCES runs(run_id), name TEXT NOT NULL, value REAL NOT NULL,
            PRIMARY KEY (run_id, name));
        """;

    private readonly SqliteConnection _connection;

    private StudyStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The store's file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating if needed) the store of <paramref name="studyFolder"/>.</summary>
    public static StudyStore Open(string studyFolder)
    {
        Directory.CreateDirectory(studyFolder);
        string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(studyFolder), FileName);
        return OpenFile(path, create: true);
    }

    /// <summary>Opens an existing store file (for reading, merging, exporting).</summary>
    /// <exception cref="FileNotFoundException">No store at <paramref name="studyFolder"/>.</exception>
    public static StudyStore OpenExisting(string studyFolder)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetFullPath(studyFolder), FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{studyFolder} holds no study results ({FileName}); give the --out folder of a `cliplab study run`.");
        return OpenFile(path, create: false);
    }

    private static StudyStore OpenFile(string path, bool create)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 60,
        };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        var store = new StudyStore(path, connection);
        // WAL: readers do not block the writer; busy_timeout: parallel jobs wait for each other's short transactions.
        store.Execute("PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
        store.Execute(Schema);
        return store;
    }

    /// <summary>
    /// Records which study and scale this folder holds; a folder holds one study at one scale, so a different one is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder already holds another study or scale.</exception>
    public void Claim(string study, string scale)
    {
        using var transaction = _connection.BeginTransaction();
        string? held = Get("study", transaction), heldScale = Get("scale", transaction);
        if (held is not null && (held != study || heldScale != scale))
            throw new InvalidOperationException($"{System.IO.Path.GetDirectoryName(Path)} holds study {held} at scale {heldScale}, not {study} at scale {scale}; " +
                "give another --out folder.");
        if (held is null)
        {
            Set("study", study, transaction);
            Set("scale", scale, transaction);
        }
        transaction.Commit();
    }

    /// <summary>The study and scale this folder holds, or nulls for a new store.</summary>
    public (string? Study, string? Scale) Identity => (Get("study", null), Get("scale", null));

    /// <summary>Ids of the runs in the store (the finished runs).</summary>
    public IReadOnlySet<string> FinishedRunIds()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Adds a finished run (replacing a row of the same id with the same config; a different config is refused).</summary>
    /// <exception cref="InvalidOperationException">A row of this run id with another config hash exists.</exception>
    public void Add(StudyRunRecord record, DateTimeOffset? finished = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var transaction = _connection.BeginTransaction();
        Insert(record, (finished ?? DateTimeOffset.UtcNow).ToString("O", CultureInfo.InvariantCulture), transaction);
        transaction.Commit();
    }

    private void Insert(StudyRunRecord record, string finishedUtc, SqliteTransaction transaction)
    {
        using (var check = Command("SELECT config_hash FROM runs WHERE run_id = $id", transaction))
        {
            check.Parameters.AddWithValue("$id", record.RunId);
            if (check.ExecuteScalar() is string hash && hash != record.ConfigHash)
                throw new InvalidOperationException($"run {record.RunId} is already in {Path} with another config (hash {hash[..12]} vs {record.ConfigHash[..12]}); " +
                    "the stores come from different study files.");
        }
        foreach (string table in new[] { "metrics", "axes", "runs" })
        {
            using var delete = Command($"DELETE FROM {table} WHERE run_id = $id", transaction);
            delete.Parameters.AddWithValue("$id", record.RunId);
            delete.ExecuteNonQuery();
        }
        using (var insert = Command("""
            INSERT INTO runs (run_id, study, scale, seed, config_hash, resolved_config, samples_seen, unique_pairs, epochs,
                gflops_per_sample, total_gflops, wall_seconds, device, finished_utc, paper_gflops_per_sample)
            VALUES ($id, $study, $scale, $seed, $hash, $config, $samples, $pairs, $epochs, $gps, $gflops, $wall, $device, $finished, $paper)
            """, transaction))
        {
            var p = insert.Parameters;
            p.AddWithValue("$id", record.RunId);
            p.AddWithValue("$study", record.Study);
            p.AddWithValue("$scale", record.Scale);
            p.AddWithValue("$seed", record.Seed);
            p.AddWithValue("$hash", record.ConfigHash);
            p.AddWithValue("$config", record.ResolvedConfigJson);
            p.AddWithValue("$samples", record.SamplesSeen);
            p.AddWithValue("$pairs", record.UniquePairs);
            p.AddWithValue("$epochs", record.Epochs);
            p.AddWithValue("$gps", record.GflopsPerSample);
            p.AddWithValue("$gflops", record.TotalGflops);
            p.AddWithValue("$wall", record.WallSeconds);
            p.AddWithValue("$device", record.Device);
            p.AddWithValue("$finished", finishedUtc);
            p.AddWithValue("$paper", record.PaperGflopsPerSample is double paper ? paper : DBNull.Value);
            insert.ExecuteNonQuery();
        }
        int position = 0;
        foreach (var (key, value) in record.Axes)
        {
            using var insert = Command("INSERT INTO axes (run_id, key, value, position) VALUES ($id, $key, $value, $position)", transaction);
            insert.Parameters.AddWithValue("$id", record.RunId);
            insert.Parameters.AddWithValue("$key", key);
            insert.Parameters.AddWithValue("$value", value);
            insert.Parameters.AddWithValue("$position", position++);
            insert.ExecuteNonQuery();
        }
        foreach (var (name, value) in record.Metrics)
        {
            using var insert = Command("INSERT INTO metrics (run_id, name, value) VALUES ($id, $name, $value)", transaction);
            insert.Parameters.AddWithValue("$id", record.RunId);
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$value", value);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>Every finished run, ordered by run id.</summary>
    public IReadOnlyList<StudyRunRecord> Records() => ReadRecords().Select(r => r.Record).ToList();

    private List<(StudyRunRecord Record, string FinishedUtc)> ReadRecords()
    {
        var axes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        using (var command = Command("SELECT run_id, key, value FROM axes ORDER BY run_id, position", null))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                if (!axes.TryGetValue(reader.GetString(0), out var map)) axes[reader.GetString(0)] = map = new(StringComparer.Ordinal);
                map[reader.GetString(1)] = reader.GetString(2);
            }
        var metrics = new Dictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
        using (var command = Command("SELECT run_id, name, value FROM metrics ORDER BY run_id, name", null))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                if (!metrics.TryGetValue(reader.GetString(0), out var map)) metrics[reader.GetString(0)] = map = new(StringComparer.Ordinal);
                map[reader.GetString(1)] = reader.GetDouble(2);
            }
        var records = new List<(StudyRunRecord, string)>();
        using (var command = Command("""
            SELECT run_id, study, scale, seed, config_hash, resolved_config, samples_seen, unique_pairs, epochs, gflops_per_sample,
                total_gflops, wall_seconds, device, finished_utc, paper_gflops_per_sample FROM runs ORDER BY run_id
            """, null))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                string id = reader.GetString(0);
                records.Add((new StudyRunRecord(reader.GetString(1), reader.GetString(2), id,
                    axes.TryGetValue(id, out var a) ? a : new Dictionary<string, string>(), reader.GetInt32(3), reader.GetString(4), reader.GetString(5),
                    reader.GetInt64(6), reader.GetInt64(7), reader.GetDouble(8), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11),
                    reader.GetString(12), metrics.TryGetValue(id, out var m) ? m : new SortedDictionary<string, double>(),
                    reader.IsDBNull(14) ? null : reader.GetDouble(14)), reader.GetString(13)));
            }
        return records;
    }

    /// <summary>
    /// Adds every run of the stores in <paramref name="sourceFolders"/> (shards of one study) to this one. Each must hold the same
    /// study and scale; a run present in two with different configs is refused. Returns how many rows were added or confirmed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stores hold different studies, or disagree about a run.</exception>
    public int Merge(IEnumerable<string> sourceFolders)
    {
        ArgumentNullException.ThrowIfNull(sourceFolders);
        int rows = 0;
        foreach (string folder in sourceFolders)
        {
            using var source = OpenExisting(folder);
            var (study, scale) = source.Identity;
            if (study is null || scale is null) continue; // a shard that had not started: nothing to add
            Claim(study, scale);
            using var transaction = _connection.BeginTransaction();
            foreach (var (record, finished) in source.ReadRecords())
            {
                Insert(record, finished, transaction);
                rows++;
            }
            transaction.Commit();
        }
        return rows;
    }

    private string? Get(string key, SqliteTransaction? transaction)
    {
        using var command = Command("SELECT value FROM study WHERE key = $key", transaction);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private void Set(string key, string value, SqliteTransaction transaction)
    {
        using var command = Command("INSERT OR REPLACE INTO study (key, value) VALUES ($key, $value)", transaction);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = Command(sql, null);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
