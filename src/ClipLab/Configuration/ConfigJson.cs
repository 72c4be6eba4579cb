using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClipLab.IO;

namespace ClipLab.Configuration;

/// <summary>
/// Strict JSON reading and writing of config records. Before binding, every key is checked against the
/// record it lands in, so a typo is reported with its path and the list of valid keys rather than being
/// silently ignored; a value of the wrong kind is reported with its path and the expected kind
/// (<see cref="ConfigValueKind"/>); other values that do not bind are reported with their path.
/// </summary>
public static class ConfigJson
{
    /// <summary>The serializer options every ClipLab config uses (camelCase, comments and trailing commas allowed).</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            WriteIndented = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            // A record's "type" may come anywhere among its keys, as people write them.
            AllowOutOfOrderMetadataProperties = true,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Reads a config of type <typeparamref name="T"/> from a file.</summary>
    /// <exception cref="ConfigException">The file is missing, is not JSON, has an unknown key or an invalid value.</exception>
    public static T Load<T>(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"config file not found: {path}");
        return Parse<T>(File.ReadAllText(path), path);
    }

    /// <summary>Reads a config of type <typeparamref name="T"/> from JSON text; <paramref name="source"/> names it in errors.</summary>
    public static T Parse<T>(string json, string source = "config")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigException($"{source} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
        // Earlier spellings of a run config are rewritten to today's before the keys are checked.
        if (typeof(T) == typeof(RunConfig) && root is JsonObject run) LegacyTrainingSpelling.Migrate(run);
        using var document = JsonSerializer.SerializeToDocument(root);
        CheckKeys(document.RootElement, typeof(T), "", source);
        try
        {
            return document.RootElement.Deserialize<T>(Options)
                   ?? throw new ConfigException($"{source} is empty (null).");
        }
        catch (JsonException ex)
        {
            string path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "(root)" : ex.Path.TrimStart('$', '.');
            throw new ConfigException($"{source}: invalid value at '{path}': {ex.Message.Split(" Path:")[0]}", ex);
        }
    }

    /// <summary>Serialises a config to indented camelCase JSON.</summary>
    public static string Serialize<T>(T config) => JsonSerializer.Serialize(config, Options);

    /// <summary>Writes a config atomically (temp file, then rename) so a crash never leaves half a file.</summary>
    public static void Save<T>(T config, string path) => AtomicFile.WriteAllText(path, Serialize(config));

    private static void CheckKeys(JsonElement element, Type type, string path, string source)
    {
        if (path.Length > 0) ConfigValueKind.Check(element, type, path, source);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (element.ValueKind == JsonValueKind.Array && ElementType(type) is Type itemType)
        {
            int index = 0;
            foreach (var item in element.EnumerateArray()) CheckKeys(item, itemType, $"{path}[{index++}]", source);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object || !IsRecordLike(type)) return;
        var polymorphic = type.GetCustomAttribute<JsonPolymorphicAttribute>();
        if (polymorphic is not null)
        {
            string discriminator = polymorphic.TypeDiscriminatorPropertyName ?? "$type";
            var derived = type.GetCustomAttributes<JsonDerivedTypeAttribute>().ToList();
            string valid = string.Join(", ", derived.Select(d => d.TypeDiscriminator));
            if (!element.TryGetProperty(discriminator, out var tag) || tag.ValueKind != JsonValueKind.String)
                throw new ConfigException($"{source}: '{Join(path, discriminator)}' is required and must be one of: {valid}");
            var match = derived.FirstOrDefault(d => Equals(d.TypeDiscriminator as string, tag.GetString()));
            if (match is null)
                throw new ConfigException($"{source}: unknown {Join(path, discriminator)} \"{tag.GetString()}\". Valid choices: {valid}");
            CheckObject(element, match.DerivedType, path, source, discriminator);
            return;
        }
        CheckObject(element, type, path, source, null);
    }

    private static void CheckObject(JsonElement element, Type type, string path, string source, string? allowedExtra)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var member in element.EnumerateObject())
        {
            if (member.Name == allowedExtra) continue;
            if (!properties.TryGetValue(member.Name, out var property))
            {
                string valid = string.Join(", ", properties.Keys.Order(StringComparer.Ordinal));
                throw new ConfigException($"{source}: unknown key '{Join(path, member.Name)}'. Valid keys here: {valid}");
            }
            CheckKeys(member.Value, property.PropertyType, Join(path, properties.First(p => p.Value == property).Key), source);
        }
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static bool IsRecordLike(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
