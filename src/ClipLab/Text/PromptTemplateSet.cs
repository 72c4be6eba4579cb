using System.Text.Json;

namespace ClipLab.Text;

/// <summary>
/// Zero-shot prompt templates for one dataset: natural class names and templates such as
/// <c>"a photo of a {}."</c>; a class's prompts are the templates with <c>{}</c> replaced by its name.
/// </summary>
/// <remarks>
/// File format (<c>assets/prompts/NAME.json</c>):
/// <c>{ "name": "...", "classnames": ["...", ...], "templates": ["... {} ...", ...] }</c>.
/// Every template holds the placeholder <c>{}</c> exactly once and there is at least one class and one template.
/// </remarks>
public sealed record PromptTemplateSet
{
    /// <summary>The placeholder a template's class name replaces.</summary>
    public const string Placeholder = "{}";

    /// <summary>Creates a validated template set.</summary>
    /// <exception cref="ArgumentException">A class name is blank, there is no class or template, or a template does not hold <c>{}</c> exactly once.</exception>
    public PromptTemplateSet(string name, IReadOnlyList<string> classNames, IReadOnlyList<string> templates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(templates);
        string? problem = FindProblem(classNames, templates);
        if (problem is not null)
        {
            throw new ArgumentException($"Prompt template set '{name}': {problem}.");
        }

        Name = name;
        // Copies so that the set cannot change after validation.
        ClassNames = classNames.ToArray();
        Templates = templates.ToArray();
    }

    /// <summary>Name of the set, usually the dataset's.</summary>
    public string Name { get; }

    /// <summary>Natural class names, in the dataset's label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Templates, each with <c>{}</c> exactly once.</summary>
    public IReadOnlyList<string> Templates { get; }

    /// <summary>Path of a shipped set: <c>assets/prompts/{name}.json</c> next to the library.</summary>
    public static string ShippedPath(string name) => Path.Combine(AppContext.BaseDirectory, "assets", "prompts", name + ".json");

    /// <summary>Loads a shipped set by name, e.g. <c>"fashion-mnist"</c>.</summary>
    /// <exception cref="FileNotFoundException">No shipped set has that name; the message lists those that exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed.</exception>
    public static PromptTemplateSet LoadShipped(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Prompt set name '{name}' must be a plain name such as 'fashion-mnist', not a path; use Load(path) for files.", nameof(name));
        }

        string path = ShippedPath(name);
        if (!File.Exists(path))
        {
            string folder = Path.GetDirectoryName(path)!;
            string available = Directory.Exists(folder)
                ? string.Join(", ", Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal))
                : "none";
            throw new FileNotFoundException($"No shipped prompt template set '{name}' at '{path}'. Shipped sets: {available}.", path);
        }

        return Load(path);
    }

    /// <summary>Loads and validates a prompt template file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON of the expected shape, or fails validation; the message names the file and the problem.</exception>
    public static PromptTemplateSet Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Prompt template file not found at '{fullPath}'.", fullPath);
        }

        PromptTemplateFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PromptTemplateFile>(File.ReadAllText(fullPath), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Prompt template file '{fullPath}' is not valid JSON: {ex.Message}", ex);
        }

        if (file is null)
        {
            throw new InvalidDataException($"Prompt template file '{fullPath}' is empty (expected an object with name, classnames, templates).");
        }

        string name = string.IsNullOrWhiteSpace(file.Name) ? Path.GetFileNameWithoutExtension(fullPath) : file.Name;
        string? problem = FindProblem(file.ClassNames ?? [], file.Templates ?? []);
        if (problem is not null)
        {
            throw new InvalidDataException($"Prompt template file '{fullPath}': {problem}.");
        }

        return new PromptTemplateSet(name, file.ClassNames!, file.Templates!);
    }

    /// <summary>The prompts of one class: every template with <c>{}</c> replaced by the class name.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, ClassNames.Count).</exception>
    public IReadOnlyList<string> Prompts(int classIndex)
    {
        if ((uint)classIndex >= (uint)ClassNames.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"Class index must be in [0, {ClassNames.Count}).");
        }

        string className = ClassNames[classIndex];
        return Templates.Select(t => t.Replace(Placeholder, className, StringComparison.Ordinal)).ToArray();
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static string? FindProblem(IReadOnlyList<string?> classNames, IReadOnlyList<string?> templates)
    {
        if (classNames.Count == 0)
        {
            return "\"classnames\" must list at least one class";
        }

        for (int i = 0; i < classNames.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(classNames[i]))
            {
                return $"class name #{i} is blank";
            }
        }

        if (templates.Count == 0)
        {
            return "\"templates\" must list at least one template";
        }

        for (int i = 0; i < templates.Count; i++)
        {
            string? template = templates[i];
            int first = template?.IndexOf(Placeholder, StringComparison.Ordinal) ?? -1;
            if (first < 0 || template!.IndexOf(Placeholder, first + Placeholder.Length, StringComparison.Ordinal) >= 0)
            {
                return $"template #{i} \"{template}\" must contain the class placeholder {Placeholder} exactly once";
            }
        }

        return null;
    }

    /// <summary>JSON shape of a prompt template file.</summary>
    private sealed record PromptTemplateFile(string? Name, List<string>? ClassNames, List<string>? Templates);
}
