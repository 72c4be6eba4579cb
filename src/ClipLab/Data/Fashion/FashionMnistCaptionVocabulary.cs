namespace ClipLab.Data.Fashion;

/// <summary>JSON shape of <c>assets/captions/fashion-mnist.json</c>, the words captions are made of.</summary>
/// <param name="Name">Name of the vocabulary.</param>
/// <param name="Classes">One entry per label, in the dataset's label order.</param>
/// <param name="Tones">Words per <see cref="ImageTone"/>, keyed by the camel-cased enum name (e.g. "midGrey").</param>
/// <param name="Shapes">Words per <see cref="ImageShape"/>, keyed by the camel-cased enum name.</param>
/// <param name="Textures">Words per <see cref="ImageTexture"/>, keyed by the camel-cased enum name.</param>
/// <param name="Templates">Caption templates with placeholders {noun}, {article}, {attr}, {gloss}, {tone}, {shape}, {texture}.</param>
public sealed record FashionMnistCaptionVocabulary(
    string? Name,
    IReadOnlyList<FashionMnistClassVocabulary>? Classes,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Tones,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Shapes,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Textures,
    IReadOnlyList<string>? Templates);

/// <summary>The words for one Fashion-MNIST class.</summary>
/// <param name="Label">The dataset's class name, e.g. "T-shirt/top".</param>
/// <param name="Nouns">Synonyms and short descriptions naming the item.</param>
/// <param name="Glosses">WordNet gloss texts of the item's synsets.</param>
/// <param name="Attributes">Adjectives typical of the class.</param>
public sealed record FashionMnistClassVocabulary(
    string? Label,
    IReadOnlyList<string>? Nouns,
    IReadOnlyList<string>? Glosses,
    IReadOnlyList<string>? Attributes);
