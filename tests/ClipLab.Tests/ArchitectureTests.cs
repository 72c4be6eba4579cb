using System.Xml.Linq;
using ClipLab.Tests.Architecture;
using Xunit;

namespace ClipLab.Tests;

/// <summary>
/// The library's layers (docs/architecture.md), enforced on its source: a top-level folder of src/ClipLab uses only
/// folders of lower layers. Read from the files' text (using directives, qualified names, crefs), not from the compiled
/// assembly, so that the message names the file and the line of thought is the same as a reviewer's.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>The layers, lowest first. A folder may import any folder of a lower layer; peers never import each other.</summary>
    public static readonly IReadOnlyList<IReadOnlyList<string>> Layers =
    [
        ["Core"],                                           // 0 shared primitives, imported implicitly everywhere
        ["IO"],                                             // 1 atomic file writes
        ["Text", "Models"],                                 // 2 tokens and towers
        ["Runtime"],                                        // 3 devices, precision, processes: where models run
        ["Losses"],                                         // 4 objectives, local and global (across processes)
        ["Configuration", "Imaging"],                       // 5 run configs (plain records); pixels: decoding, ops, pipelines
        ["Data"],                                           // 6 sources, shards, loading, quality filtering
        ["Evaluation", "Inference"],                        // 7 benchmarks and evaluators; ONNX inference
        ["Training"],                                       // 8 strategies, optimizer, trainer, checkpoints
        ["Interop", "Performance", "Studies"],              // 9 import/export, speed measurements, studies
    ];

    /// <summary>
    /// Imports against the layer order that a change in progress is removing (empty since issue 13's renovation landed):
    /// a large move may land in steps, listing its remaining edges here; <see cref="EveryPendingViolationStillOccurs"/>
    /// says which entries are done.
    /// </summary>
    public static readonly IReadOnlyList<(string From, string To)> PendingViolations = [];

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "ClipLab.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException($"ClipLab.slnx not found above {AppContext.BaseDirectory}");
    }

    private static string LibraryRoot => Path.Combine(RepositoryRoot(), "src", "ClipLab");

    // The project's <Using Include="ClipLab.X"/> items: namespaces every file imports without a using directive.
    private static IReadOnlyList<string> ImplicitImports() =>
        XDocument.Load(Path.Combine(LibraryRoot, "ClipLab.csproj")).Descendants("Using")
            .Select(u => (string?)u.Attribute("Include") ?? "")
            .Where(ns => ns.StartsWith("ClipLab.", StringComparison.Ordinal))
            .Select(ns => ns["ClipLab.".Length..].Split('.')[0])
            .ToList();

    private static LayerChecker Checker() => new(Layers, ImplicitImports());

    [Fact]
    public void LibraryImportsFollowTheLayerOrder()
    {
        var files = SourceFile.ReadAll(LibraryRoot);
        Assert.True(files.Count > 100, $"only {files.Count} files read under {LibraryRoot}");
        var unexpected = Checker().Check(files).Where(v => !PendingViolations.Contains((v.From, v.To))).ToList();
        Assert.True(unexpected.Count == 0, "imports against the layers of docs/architecture.md:\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public void EveryPendingViolationStillOccurs()
    {
        var found = Checker().Check(SourceFile.ReadAll(LibraryRoot)).Select(v => (v.From, v.To)).ToHashSet();
        var done = PendingViolations.Where(p => !found.Contains(p)).ToList();
        Assert.True(done.Count == 0,
            "no longer imported, remove from ArchitectureTests.PendingViolations: " + string.Join(", ", done.Select(d => $"{d.From} → {d.To}")));
    }

    [Fact]
    public void NoImportCycleBetweenTopLevelFolders()
    {
        var cycle = LayerChecker.FindCycle(SourceFile.ReadAll(LibraryRoot), PendingViolations);
        Assert.True(cycle is null, "import cycle: " + string.Join(" → ", cycle ?? Array.Empty<string>()));
    }

    [Fact]
    public void NamespacesMatchFolders()
    {
        var wrong = SourceFile.ReadAll(LibraryRoot)
            .Select(f => (f.Path, f.ExpectedNamespace, Declared: System.Text.RegularExpressions.Regex
                .Match(f.Text, @"^namespace\s+([\w.]+)", System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value))
            .Where(f => f.Declared != f.ExpectedNamespace)
            .Select(f => $"{f.Path}: namespace {f.Declared}, folder says {f.ExpectedNamespace}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void ImplicitImportsAreTheLowestLayerOnly()
    {
        var imports = ImplicitImports();
        Assert.Equal(new[] { "Core" }, imports);
        Assert.All(imports, ns => Assert.Contains(ns, Layers[0]));
    }

    [Theory]
    [InlineData("Models", "Training")]
    [InlineData("Configuration", "Imaging")]
    [InlineData("Configuration", "Training")]
    [InlineData("Data", "Evaluation")]
    [InlineData("Data", "Training")]
    [InlineData("Imaging", "Data")]
    [InlineData("Imaging", "Configuration")]
    [InlineData("Runtime", "Losses")]
    [InlineData("Text", "Models")]
    public void ANewImportAgainstTheLayersInTheRealTreeFails(string from, string to)
    {
        // The library as it is, plus one file that imports what its layer must not: the check must name exactly that file.
        string path = $"{from}/ImportsAgainstTheLayers.cs";
        var files = SourceFile.ReadAll(LibraryRoot).Append(new SourceFile(path,
            $"using ClipLab.{to};\n\nnamespace ClipLab.{from};\n\ninternal static class ImportsAgainstTheLayers;\n")).ToList();
        var violations = Checker().Check(files);
        // The checker names it even when the edge is pending: PendingViolations only filters what the real-tree test reports.
        var violation = Assert.Single(violations, v => v.File == path);
        Assert.Equal((path, from, to), (violation.File, violation.From, violation.To));
        Assert.DoesNotContain(violations, v => v.File != path && !PendingViolations.Contains((v.From, v.To)));
    }

    [Theory]
    [InlineData("### A vision tower", "tests/ClipLab.Tests/Models/ExampleVisionFamily.cs")]
    [InlineData("### An optimizer", "src/ClipLab/Training/Optimizers.cs")]
    [InlineData("### An evaluator", "tests/ClipLab.Tests/Evaluation/MeanEmbeddingNormEvaluator.cs",
        "tests/ClipLab.Tests/Evaluation/EvaluationSuiteRunnerTests.cs")]
    public void ArchitectureDocExamplesAreTheTestedExamples(string heading, params string[] files)
    {
        // docs/architecture.md shows examples that tests build and run (OpenRegistryTests trains the example family,
        // EvaluationSuiteRunnerTests runs the plugin evaluator in a suite, the optimizer tests build both optimizers);
        // every line it shows, elisions and trailing comments aside, must still be a line of those files, so the doc
        // cannot drift from tested code.
        static string Normalize(string line)
        {
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            return string.Join(' ', (comment >= 0 ? line[..comment] : line).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        string doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "architecture.md"));
        int section = doc.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(section >= 0, $"docs/architecture.md has no section '{heading}'");
        int start = doc.IndexOf("```csharp", section, StringComparison.Ordinal) + "```csharp".Length;
        var shown = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)].Split('\n')
            .Where(l => !l.Contains("...", StringComparison.Ordinal)).Select(Normalize).Where(l => l.Length > 1).ToList();
        var source = files.SelectMany(f => File.ReadAllLines(Path.Combine(RepositoryRoot(), f)))
            .Select(Normalize).ToHashSet();
        Assert.True(shown.Count > 5, $"only {shown.Count} lines of code found in the doc's example under '{heading}'");
        Assert.All(shown, line => Assert.Contains(line, source));
    }

    private static readonly IReadOnlyList<IReadOnlyList<string>> SyntheticLayers = [["Core"], ["Models", "Text"], ["Data"], ["Training"]];

    private static IReadOnlyList<LayerViolation> CheckSynthetic(params SourceFile[] files) =>
        new LayerChecker(SyntheticLayers, ["Core"]).Check(files);

    [Fact]
    public void Checker_FlagsEveryWayOfNamingAHigherLayer()
    {
        var trainer = new SourceFile("Training/Trainer.cs", "namespace ClipLab.Training;\npublic sealed class Trainer;\n");
        var pairs = new SourceFile("Data/Pairs.cs", "namespace ClipLab.Data;\npublic sealed record Pairs(int Count);\n");
        Assert.Empty(CheckSynthetic(trainer, pairs, new SourceFile("Models/Fine.cs", "namespace ClipLab.Models;\npublic sealed class Fine;\n")));

        var byUsing = new SourceFile("Models/A.cs", "using ClipLab.Training;\nnamespace ClipLab.Models;\nclass A { Trainer? t; }\n");
        var byStaticUsing = new SourceFile("Models/B.cs", "using static ClipLab.Training.Trainer;\nnamespace ClipLab.Models;\nclass B;\n");
        var byAlias = new SourceFile("Models/C.cs", "using T = ClipLab.Training.Trainer;\nnamespace ClipLab.Models;\nclass C;\n");
        var byFullName = new SourceFile("Models/D.cs", "namespace ClipLab.Models;\nclass D { object o = new ClipLab.Training.Trainer(); }\n");
        var bySibling = new SourceFile("Models/E.cs", "namespace ClipLab.Models;\nclass E { Data.Pairs? p; }\n");
        var byCref = new SourceFile("Models/F.cs", "namespace ClipLab.Models;\n/// <summary>Fed by <see cref=\"Data.Pairs\"/>.</summary>\nclass F;\n");
        var violations = CheckSynthetic(trainer, pairs, byUsing, byStaticUsing, byAlias, byFullName, bySibling, byCref);
        Assert.Equal(
            new[] { ("Models/A.cs", "Training"), ("Models/B.cs", "Training"), ("Models/C.cs", "Training"), ("Models/D.cs", "Training"),
                    ("Models/E.cs", "Data"), ("Models/F.cs", "Data") },
            violations.Select(v => (v.File, v.To)));
        Assert.All(violations, v => Assert.Contains("higher layer", v.Why));
    }

    [Fact]
    public void Checker_IgnoresProseStringsMembersAndDownwardImports()
    {
        var pairs = new SourceFile("Data/Pairs.cs", "namespace ClipLab.Data;\npublic sealed record Pairs(int Count);\n");
        var fine = new SourceFile("Models/Config.cs", """"
            namespace ClipLab.Models;
            // Read by ClipLab.Training.Trainer, which this file does not import.
            /* ClipLab.Data too */
            class Config
            {
                public Config Data => this;                       // a member named like a folder
                public int Root => Data.Root + Data.Count;        // member access, not the Data folder
                public int Count => 0;
                int f = rule.ClipLab.Training.Count;              // a member named ClipLab
                string a = "ClipLab.Training.Trainer";
                string b = $"{string.Join(", ", new[] { "x" })} ClipLab.Data.Pairs {{ClipLab.Training}}";
                string c = @"ClipLab.Training ""quoted""";
                char d = '"';
                string e = $@"{"ClipLab.Data"}";
            }
            """");
        var downward = new SourceFile("Training/Trainer.cs",
            "using ClipLab.Data;\nusing ClipLab.Models;\nnamespace ClipLab.Training;\nclass Trainer { Pairs? p; Text.Tokens? t; }\n");
        var tokens = new SourceFile("Text/Tokens.cs", "namespace ClipLab.Text;\npublic sealed class Tokens;\n");
        Assert.Empty(CheckSynthetic(pairs, fine, downward, tokens));
    }

    [Fact]
    public void Checker_FlagsPeersUnplacedFoldersRootFilesAndOutsideProjects()
    {
        var violations = CheckSynthetic(
            new SourceFile("Text/Tokens.cs", "namespace ClipLab.Text;\npublic sealed class Tokens;\n"),
            new SourceFile("Models/Tower.cs", "using ClipLab.Text;\nnamespace ClipLab.Models;\nclass Tower;\n"),
            new SourceFile("Gadgets/Gadget.cs", "namespace ClipLab.Gadgets;\nclass Gadget;\n"),
            new SourceFile("Loose.cs", "namespace ClipLab;\nclass Loose;\n"),
            new SourceFile("Data/Import.cs", "using ClipLab.Corpus;\nnamespace ClipLab.Data;\nclass Import;\n"));
        Assert.Equal(
            new[] { ("Models/Tower.cs", "Text", "peers"), ("Gadgets/Gadget.cs", "", "in no layer"), ("Loose.cs", "", "root"),
                    ("Data/Import.cs", "Corpus", "no folder of the library") },
            violations.Select(v => (v.File, v.To, Reason: new[] { "peers", "in no layer", "root", "no folder of the library" }.First(v.Why.Contains))));
    }

    [Fact]
    public void Checker_CountsImplicitImportsAgainstTheImporter()
    {
        // An implicit import of a higher layer (a <Using Include="ClipLab.Training"/>) would reach into every lower file.
        var files = new[]
        {
            new SourceFile("Models/Tower.cs", "namespace ClipLab.Models;\nclass Tower;\n"),
            new SourceFile("Training/Trainer.cs", "namespace ClipLab.Training;\nclass Trainer;\n"),
        };
        Assert.Empty(new LayerChecker(SyntheticLayers, ["Core"]).Check(files));
        var violation = Assert.Single(new LayerChecker(SyntheticLayers, ["Training"]).Check(files));
        Assert.Equal(("Models/Tower.cs", "Training"), (violation.File, violation.To));
    }

    [Fact]
    public void FindCycle_FindsALoopUnlessOneOfItsEdgesIsPending()
    {
        var files = new[]
        {
            new SourceFile("Training/Run.cs", "using ClipLab.Reports;\nnamespace ClipLab.Training;\nclass Run;\n"),
            new SourceFile("Reports/Results.cs", "using ClipLab.Training;\nnamespace ClipLab.Reports;\nclass Results;\n"),
            new SourceFile("Data/Pairs.cs", "namespace ClipLab.Data;\nclass Pairs;\n"),
        };
        Assert.Equal(new[] { "Reports", "Training", "Reports" }, LayerChecker.FindCycle(files, []));
        Assert.Null(LayerChecker.FindCycle(files, [("Training", "Reports")]));
        Assert.Null(LayerChecker.FindCycle(files.Skip(1).ToList(), []));
    }
}
