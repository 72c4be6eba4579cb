using ClipLab.Studies;
using Microsoft.Data.Sqlite;
using Parquet;
using Xunit;

namespace ClipLab.Tests.Studies;

public class StudyStoreTests
{
    private static StudyRunRecord Record(string id, double top1, string hash = "abcdef0123456789", string subset = "256") =>
        new("tiny", "cpu", id, new Dictionary<string, string> { ["data.trainSubset"] = subset, ["training.strategy"] = "clip" }, 0, hash, "{}",
            640, 256, 2.5, 0.01, 6.4, 12.5, "cpu",
            new Dictionary<string, double> { ["fashion-mnist/zeroshot/top1"] = top1, ["fashion-mnist/retrieval/image_to_text_r1"] = 0.25 });

    [Fact]
    public void RowsRoundTripAndAreQueryableWithPlainSql()
    {
        string dir = TinyRuns.TempDirectory();
        using (var store = StudyStore.Open(dir))
        {
            store.Claim("tiny", "cpu");
            store.Add(Record("b", 0.5));
            store.Add(Record("a", 0.25, subset: "512"));
        }
        using (var store = StudyStore.OpenExisting(dir))
        {
            var rows = store.Records();
            Assert.Equal(["a", "b"], rows.Select(r => r.RunId));
            Assert.Equal(0.25, rows[0].Metrics["fashion-mnist/zeroshot/top1"]);
            Assert.Equal(["data.trainSubset", "training.strategy"], rows[0].Axes.Keys);
            Assert.Equal("512", rows[0].Axes["data.trainSubset"]);
            Assert.Equal(640, rows[0].SamplesSeen);
            Assert.Equal(("tiny", "cpu"), store.Identity);
        }
        // The store is an ordinary SQLite file: a metric per run with one join.
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, StudyStore.FileName)};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT r.run_id, m.value FROM runs r JOIN metrics m USING (run_id) WHERE m.name = 'fashion-mnist/zeroshot/top1' ORDER BY r.run_id";
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("a", reader.GetString(0));
        Assert.Equal(0.25, reader.GetDouble(1));
    }

    [Fact]
    public void AFolderHoldsOneStudyAtOneScale()
    {
        using var store = StudyStore.Open(TinyRuns.TempDirectory());
        store.Claim("tiny", "cpu");
        store.Claim("tiny", "cpu");
        var ex = Assert.Throws<InvalidOperationException>(() => store.Claim("tiny", "paper"));
        Assert.Contains("holds study tiny at scale cpu", ex.Message);
    }

    [Fact]
    public void MergeCombinesShardsAndRefusesARunWithAnotherConfig()
    {
        string a = TinyRuns.TempDirectory(), b = TinyRuns.TempDirectory(), merged = TinyRuns.TempDirectory(), clash = TinyRuns.TempDirectory();
        using (var s = StudyStore.Open(a)) { s.Claim("tiny", "cpu"); s.Add(Record("r1", 0.1)); }
        using (var s = StudyStore.Open(b)) { s.Claim("tiny", "cpu"); s.Add(Record("r2", 0.2)); s.Add(Record("r1", 0.1)); }
        using (var s = StudyStore.Open(clash)) { s.Claim("tiny", "cpu"); s.Add(Record("r1", 0.9, hash: "ffffffffffffffff")); }
        using var store = StudyStore.Open(merged);
        Assert.Equal(3, store.Merge([a, b]));
        Assert.Equal(["r1", "r2"], store.Records().Select(r => r.RunId));
        var ex = Assert.Throws<InvalidOperationException>(() => store.Merge([clash]));
        Assert.Contains("run r1 is already in", ex.Message);
        Assert.Equal(0.1, store.Records()[0].Metrics["fashion-mnist/zeroshot/top1"]);
    }

    [Fact]
    public async Task ExportWritesOneRowPerRunWithAColumnPerAxisAndMetric()
    {
        string dir = TinyRuns.TempDirectory();
        var table = StudyTable.From([Record("b", 0.5), Record("a,x", 0.25)]);
        string csv = Path.Combine(dir, "t.csv"), parquet = Path.Combine(dir, "t.parquet");
        table.WriteCsv(csv);
        table.WriteParquet(parquet);
        var lines = File.ReadAllLines(csv);
        Assert.Equal(3, lines.Length);
        Assert.Equal("study,scale,run_id,seed,config_hash,samples_seen,unique_pairs,epochs,gflops_per_sample,total_gflops,wall_seconds,device," +
            "data.trainSubset,training.strategy,fashion-mnist/retrieval/image_to_text_r1,fashion-mnist/zeroshot/top1", lines[0]);
        Assert.StartsWith("tiny,cpu,\"a,x\",0,abcdef0123456789,640,256,2.5,0.01,6.4,12.5,cpu,256,clip,0.25,0.25", lines[1]);

        await using var reader = await ParquetReader.CreateAsync(parquet);
        Assert.Equal(table.Columns, reader.Schema.DataFields.Select(f => f.Name));
        var group = reader.OpenRowGroupReader(0);
        Assert.Equal(2, group.RowCount);
        var top1 = new double?[2];
        await group.ReadAsync(reader.Schema.DataFields.Single(f => f.Name == "fashion-mnist/zeroshot/top1"), top1.AsMemory());
        Assert.Equal([0.25, 0.5], top1);
    }

    [Fact]
    public void TheReportReadsTheStoreOrElseTheJsonLinesFile()
    {
        string dir = TinyRuns.TempDirectory();
        ClipLab.Studies.Reporting.JsonLinesStudyResults.Write(dir, [Record("from-jsonl", 0.1)]);
        Assert.Equal(["from-jsonl"], new StudyStoreResults().Load(dir).Select(r => r.RunId));
        using (var store = StudyStore.Open(dir))
        {
            store.Claim("tiny", "cpu");
            store.Add(Record("from-store", 0.2) with { PaperGflopsPerSample = 0.04 });
        }
        var rows = new StudyStoreResults().Load(dir);
        Assert.Equal(["from-store"], rows.Select(r => r.RunId));
        Assert.Equal(0.04, rows[0].PaperGflopsPerSample);
    }
}
