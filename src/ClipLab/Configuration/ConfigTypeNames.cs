using System.Reflection;
using System.Text.Json.Serialization;

namespace ClipLab.Configuration;

/// <summary>
/// The <c>"type"</c> names of a polymorphic config record (<see cref="StrategyConfig"/>, <see cref="LossConfig"/>,
/// <see cref="SourceConfig"/>), read from its <see cref="JsonDerivedTypeAttribute"/>s, so the attributes are the one
/// place a name is written: the JSON reader, validation messages, the CLI and the records' own names all use them.
/// </summary>
public static class ConfigTypeNames
{
    /// <summary>The names of <typeparamref name="TBase"/>'s derived records, in the order they are declared.</summary>
    public static IReadOnlyList<string> Of<TBase>() => Derived(typeof(TBase)).Select(d => d.Name).ToList();

    /// <summary>The name of <paramref name="derived"/>, a record derived from <typeparamref name="TBase"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="derived"/> is not one of <typeparamref name="TBase"/>'s named records.</exception>
    public static string NameOf<TBase>(Type derived)
    {
        ArgumentNullException.ThrowIfNull(derived);
        return Derived(typeof(TBase)).FirstOrDefault(d => d.Type == derived).Name
               ?? throw new ArgumentException($"{derived.Name} is not a named {typeof(TBase).Name} (add a [JsonDerivedType] for it).", nameof(derived));
    }

    /// <summary>
    /// A record of the type named <paramref name="name"/> with every setting at its default; <paramref name="key"/> is the
    /// config key the name was given for.
    /// </summary>
    /// <exception cref="ConfigException">No record has that name; the message lists the valid names.</exception>
    public static TBase Create<TBase>(string name, string key)
    {
        var match = Derived(typeof(TBase)).FirstOrDefault(d => d.Name == name);
        if (match.Type is null) throw new ConfigException(key, name, "one of: " + string.Join(", ", Of<TBase>()));
        return (TBase)Activator.CreateInstance(match.Type)!;
    }

    private static IEnumerable<(Type Type, string Name)> Derived(Type baseType) =>
        baseType.GetCustomAttributes<JsonDerivedTypeAttribute>().Select(d => (d.DerivedType, (string)d.TypeDiscriminator!));
}
