namespace ClipLab.Tests.Architecture;

/// <summary>One import against the layer order: <paramref name="File"/> (in folder <paramref name="From"/>) uses <paramref name="To"/>.</summary>
/// <param name="File">Path under src/ClipLab.</param>
/// <param name="From">The importing file's top-level folder.</param>
/// <param name="To">The imported top-level name (after <c>ClipLab.</c>).</param>
/// <param name="Why">What is wrong, in words.</param>
public sealed record LayerViolation(string File, string From, string To, string Why)
{
    /// <inheritdoc/>
    public override string ToString() => $"{File}: {From} → {To}: {Why}";
}

/// <summary>
/// Checks a set of library files against a layer order (lowest layer first): a folder may use only folders of lower
/// layers, never one of its own layer or a higher one, and every folder must sit in some layer.
/// </summary>
/// <param name="Layers">The layers, lowest first; each names its top-level folders.</param>
/// <param name="ImplicitImports">
/// Namespaces every file imports without a <c>using</c> (the project's <c>&lt;Using Include="…"/&gt;</c> items), as the
/// top-level name after <c>ClipLab.</c>.
/// </param>
public sealed record LayerChecker(IReadOnlyList<IReadOnlyList<string>> Layers, IReadOnlyList<string> ImplicitImports)
{
    private int? LayerOf(string folder)
    {
        for (int i = 0; i < Layers.Count; i++)
            if (Layers[i].Contains(folder, StringComparer.Ordinal)) return i;
        return null;
    }

    /// <summary>Every import of <paramref name="files"/> against the layer order, and every file outside a layer folder.</summary>
    public IReadOnlyList<LayerViolation> Check(IReadOnlyList<SourceFile> files)
    {
        var dependencies = FolderDependencies.Index(files);
        var violations = new List<LayerViolation>();
        foreach (var file in files)
        {
            int? from = LayerOf(file.Folder);
            if (from is null)
            {
                violations.Add(new LayerViolation(file.Path, file.Folder, "", file.Folder.Length == 0
                    ? "a file at the library's root: put it in the folder of its layer"
                    : $"folder '{file.Folder}' is in no layer: place it in ArchitectureTests.Layers and docs/architecture.md"));
                continue;
            }
            foreach (string to in dependencies.Of(file).Concat(ImplicitImports).Distinct().Order(StringComparer.Ordinal))
            {
                if (to == file.Folder) continue;
                int? target = LayerOf(to);
                if (target is null)
                    violations.Add(new LayerViolation(file.Path, file.Folder, to,
                        $"ClipLab.{to} is no folder of the library (the CLI and ClipLab.Corpus sit above it; the library never imports them)"));
                else if (target == from)
                    violations.Add(new LayerViolation(file.Path, file.Folder, to, $"both sit in layer {from}: peers do not import each other"));
                else if (target > from)
                    violations.Add(new LayerViolation(file.Path, file.Folder, to, $"layer {from} imports the higher layer {target}"));
            }
        }
        return violations;
    }

    /// <summary>
    /// A cycle among the folders that <paramref name="files"/> import from each other (such as <c>A → B → A</c>), ignoring
    /// the <paramref name="ignoredEdges"/>; null when there is none.
    /// </summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyList<SourceFile> files, IEnumerable<(string From, string To)> ignoredEdges)
    {
        var ignored = ignoredEdges.ToHashSet();
        var dependencies = FolderDependencies.Index(files);
        var edges = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in files.Where(f => f.Folder.Length > 0))
        {
            if (!edges.TryGetValue(file.Folder, out var targets)) edges[file.Folder] = targets = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string to in dependencies.Of(file))
                if (to != file.Folder && !ignored.Contains((file.Folder, to))) targets.Add(to);
        }
        // Depth-first search; a folder met again while still on the path closes a cycle.
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        foreach (string start in edges.Keys)
        {
            var cycle = Visit(start);
            if (cycle is not null) return cycle;
        }
        return null;

        IReadOnlyList<string>? Visit(string folder)
        {
            if (state.TryGetValue(folder, out bool done))
                return done ? null : path.Skip(path.IndexOf(folder)).Append(folder).ToList();
            state[folder] = false;
            path.Add(folder);
            foreach (string next in edges.GetValueOrDefault(folder) ?? new SortedSet<string>())
            {
                var cycle = Visit(next);
                if (cycle is not null) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[folder] = true;
            return null;
        }
    }
}
