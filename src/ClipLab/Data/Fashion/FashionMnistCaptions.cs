using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClipLab.Data.Fashion;

/// <summary>
/// Generates English captions for Fashion-MNIST images from a vocabulary file (class synonyms, WordNet glosses,
/// attribute words, templates) and attributes measured on the image itself, so that two images of the same class
/// usually get different captions and image–text retrieval is meaningful.
/// </summary>
/// <remarks>
/// <see cref="Caption"/> is a pure function of its arguments: randomness comes from a counter-based SplitMix64
/// hash of (seed, sampleIndex, variant), never from shared <see cref="Random"/> state, so captions are
/// reproducible and the generator is safe to call from several threads.
/// </remarks>
public sealed partial class FashionMnistCaptions
{
    /// <summary>Side of a Fashion-MNIST image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels above this value (of 255) count as foreground (the garment); the background is 0.</summary>
    public const byte ForegroundThreshold = 30;

    private static readonly string[] KnownPlaceholders = ["noun", "article", "attr", "gloss", "tone", "shape", "texture"];

    private readonly FashionMnistClassVocabulary[] _classes;
    private readonly IReadOnlyList<string>[] _tones;
    private readonly IReadOnlyList<string>[] _shapes;
    private readonly IReadOnlyList<string>[] _textures;
    private readonly string[] _templates;

    private FashionMnistCaptions(string sourcePath, FashionMnistClassVocabulary[] classes, IReadOnlyList<string>[] tones,
        IReadOnlyList<string>[] shapes, IReadOnlyList<string>[] textures, string[] templates)
    {
        SourcePath = sourcePath;
        _classes = classes;
        _tones = tones;
        _shapes = shapes;
        _textures = textures;
        _templates = templates;
        ClassNames = classes.Select(c => c.Label!).ToArray();
    }

    /// <summary>Path of the shipped vocabulary: <c>assets/captions/fashion-mnist.json</c> next to the library.</summary>
    public static string DefaultVocabularyPath => Path.Combine(AppContext.BaseDirectory, "assets", "captions", "fashion-mnist.json");

    /// <summary>The dataset's class names in label order (e.g. "T-shirt/top", "Trouser", ...).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The caption templates (placeholders unfilled), e.g. to check zero-shot prompts differ from them.</summary>
    public IReadOnlyList<string> Templates => _templates;

    /// <summary>Full path of the vocabulary file this generator was loaded from.</summary>
    public string SourcePath { get; }

    /// <summary>Loads and validates a caption vocabulary.</summary>
    /// <param name="vocabularyPath">Vocabulary JSON; null for <see cref="DefaultVocabularyPath"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the problem.</exception>
    public static FashionMnistCaptions Load(string? vocabularyPath = null)
    {
        string fullPath = Path.GetFullPath(vocabularyPath ?? DefaultVocabularyPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Caption vocabulary not found at '{fullPath}'.", fullPath);
        }

        FashionMnistCaptionVocabulary? vocabulary;
        try
        {
            vocabulary = JsonSerializer.Deserialize<FashionMnistCaptionVocabulary>(File.ReadAllText(fullPath), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Caption vocabulary '{fullPath}' is not valid JSON: {ex.Message}", ex);
        }

        InvalidDataException Invalid(string problem) => new($"Caption vocabulary '{fullPath}': {problem}.");

        if (vocabulary?.Classes is not { Count: > 0 } classes)
        {
            throw Invalid("\"classes\" must list at least one class");
        }

        for (int i = 0; i < classes.Count; i++)
        {
            var c = classes[i];
            if (string.IsNullOrWhiteSpace(c.Label) || !HasWords(c.Nouns) || !HasWords(c.Glosses) || !HasWords(c.Attributes))
            {
                throw Invalid($"class #{i} needs a \"label\" and non-empty \"nouns\", \"glosses\" and \"attributes\" without blank entries");
            }
        }

        var tones = WordsPerValue<ImageTone>(vocabulary.Tones, "tones", Invalid);
        var shapes = WordsPerValue<ImageShape>(vocabulary.Shapes, "shapes", Invalid);
        var textures = WordsPerValue<ImageTexture>(vocabulary.Textures, "textures", Invalid);

        if (!HasWords(vocabulary.Templates))
        {
            throw Invalid("\"templates\" must list at least one template without blank entries");
        }

        foreach (string template in vocabulary.Templates!)
        {
            if (!template.Contains("{noun}", StringComparison.Ordinal))
            {
                throw Invalid($"template \"{template}\" must contain {{noun}}");
            }

            foreach (Match m in PlaceholderPattern().Matches(template))
            {
                if (!KnownPlaceholders.Contains(m.Groups[1].Value))
                {
                    throw Invalid($"template \"{template}\" uses unknown placeholder {m.Value}; known: {string.Join(", ", KnownPlaceholders.Select(p => "{" + p + "}"))}");
                }
            }
        }

        return new FashionMnistCaptions(fullPath, classes.ToArray(), tones, shapes, textures, vocabulary.Templates!.ToArray());
    }

    /// <summary>
    /// Returns a caption for one image, a deterministic function of all arguments.
    /// </summary>
    /// <param name="pixels28x28">The 784 grey pixels, row-major, 0 (background) to 255.</param>
    /// <param name="label">Class index in [0, ClassNames.Count).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="sampleIndex">Index of the image in its dataset.</param>
    /// <param name="variant">Which caption of this image; variants 0 .. Templates.Count − 1 use distinct templates, so they differ.</param>
    /// <exception cref="ArgumentException">The pixel span does not hold 28×28 values.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label or variant is out of range.</exception>
    public string Caption(ReadOnlySpan<byte> pixels28x28, int label, ulong seed, long sampleIndex, int variant = 0)
    {
        if ((uint)label >= (uint)_classes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"Label must be in [0, {_classes.Length}).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        ImageAttributes attributes = Describe(pixels28x28);
        var classWords = _classes[label];

        // The template depends on (seed, sample) only, shifted by the variant: variants of one image walk through
        // distinct templates; every other slot is drawn from a stream keyed by all three.
        var templateStream = new SplitMix64(seed, sampleIndex, 0);
        int templateIndex = (int)((templateStream.NextBelow(_templates.Length) + (ulong)variant) % (ulong)_templates.Length);
        var words = new SplitMix64(seed, sampleIndex, variant + 1L);

        var caption = new StringBuilder(_templates[templateIndex]);
        caption.Replace("{noun}", Pick(classWords.Nouns!, ref words))
               .Replace("{attr}", Pick(classWords.Attributes!, ref words))
               .Replace("{gloss}", Pick(classWords.Glosses!, ref words))
               .Replace("{tone}", Pick(_tones[(int)attributes.Tone], ref words))
               .Replace("{shape}", Pick(_shapes[(int)attributes.Shape], ref words))
               .Replace("{texture}", Pick(_textures[(int)attributes.Texture], ref words));
        return ResolveArticles(caption.ToString());
    }

    /// <summary>Measures tone, silhouette and texture of a 28×28 grey image (row-major bytes, background 0).</summary>
    /// <exception cref="ArgumentException">The span does not hold 784 values.</exception>
    public static ImageAttributes Describe(ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != ImageSide * ImageSide)
        {
            throw new ArgumentException($"Expected {ImageSide}×{ImageSide} = {ImageSide * ImageSide} pixels, got {pixels.Length}.", nameof(pixels));
        }

        long sum = 0;
        int count = 0, minX = ImageSide, maxX = -1, minY = ImageSide, maxY = -1;
        for (int y = 0; y < ImageSide; y++)
        {
            for (int x = 0; x < ImageSide; x++)
            {
                byte v = pixels[y * ImageSide + x];
                if (v <= ForegroundThreshold)
                {
                    continue;
                }

                sum += v;
                count++;
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }

        if (count == 0)
        {
            return new ImageAttributes(ImageTone.Dark, ImageShape.Regular, ImageTexture.Plain, 0, 0, 1, 0);
        }

        double mean = sum / (255.0 * count);
        double coverage = count / (double)(ImageSide * ImageSide);
        double aspect = (maxX - minX + 1) / (double)(maxY - minY + 1);
        (double textureScore, ImageTexture texture) = MeasureTexture(pixels);

        // Thresholds are roughly the quartiles of the Fashion-MNIST training set, so each word is common.
        ImageTone tone = mean < 0.52 ? ImageTone.Dark : mean < 0.66 ? ImageTone.MidGrey : mean < 0.76 ? ImageTone.Light : ImageTone.Bright;
        ImageShape shape = aspect < 0.6 ? ImageShape.Slim : aspect > 1.3 ? ImageShape.Wide : ImageShape.Regular;
        return new ImageAttributes(tone, shape, texture, mean, coverage, aspect, textureScore);
    }

    /// <summary>
    /// Texture from forward differences at interior pixels (whose 3×3 neighbourhood is all foreground), so the
    /// garment's outline does not count as texture. Forward, not central, differences so that one-pixel stripes
    /// register. A strong variation mostly along one axis reads as stripes. Thresholds leave about 30% of the
    /// Fashion-MNIST training images plain, a few percent striped and the rest patterned.
    /// </summary>
    private static (double Score, ImageTexture Texture) MeasureTexture(ReadOnlySpan<byte> pixels)
    {
        const int minInteriorPixels = 10;
        double sumX = 0, sumY = 0;
        int interior = 0;
        for (int y = 1; y < ImageSide - 1; y++)
        {
            for (int x = 1; x < ImageSide - 1; x++)
            {
                if (!IsInterior(pixels, x, y))
                {
                    continue;
                }

                interior++;
                int at = y * ImageSide + x;
                sumX += Math.Abs(pixels[at + 1] - pixels[at]);
                sumY += Math.Abs(pixels[at + ImageSide] - pixels[at]);
            }
        }

        if (interior < minInteriorPixels)
        {
            return (0, ImageTexture.Plain);
        }

        double meanX = sumX / (255.0 * interior), meanY = sumY / (255.0 * interior);
        double score = (meanX + meanY) / 2;
        double direction = (meanY + 0.005) / (meanX + 0.005);
        ImageTexture texture = score < 0.06 ? ImageTexture.Plain
            : score >= 0.08 && (direction > 4.0 || direction < 0.25) ? ImageTexture.Striped
            : ImageTexture.Patterned;
        return (score, texture);
    }

    private static bool IsInterior(ReadOnlySpan<byte> pixels, int x, int y)
    {
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                if (pixels[(y + dy) * ImageSide + x + dx] <= ForegroundThreshold)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string Pick(IReadOnlyList<string> words, ref SplitMix64 random) => words[(int)random.NextBelow(words.Count)];

    /// <summary>Replaces each {article} with "a" or "an" to agree with the word after it.</summary>
    private static string ResolveArticles(string text)
    {
        const string article = "{article}";
        int at;
        while ((at = text.IndexOf(article, StringComparison.Ordinal)) >= 0)
        {
            string rest = text[(at + article.Length)..].TrimStart();
            text = string.Concat(text.AsSpan(0, at), IndefiniteArticle(rest), text.AsSpan(at + article.Length));
        }

        return text;
    }

    private static string IndefiniteArticle(string following)
    {
        // Spelling-based, with the exceptions that occur in garment words ("a one-piece", "a uniform").
        string word = following.ToLowerInvariant();
        if (word.StartsWith("one", StringComparison.Ordinal) || word.StartsWith("uni", StringComparison.Ordinal)
            || word.StartsWith("use", StringComparison.Ordinal) || word.StartsWith("eu", StringComparison.Ordinal))
        {
            return "a";
        }

        return word.Length > 0 && "aeiou".Contains(word[0]) ? "an" : "a";
    }

    private static bool HasWords(IReadOnlyList<string>? words) => words is { Count: > 0 } && words.All(w => !string.IsNullOrWhiteSpace(w));

    private static IReadOnlyList<string>[] WordsPerValue<TEnum>(IReadOnlyDictionary<string, IReadOnlyList<string>>? table, string section,
        Func<string, InvalidDataException> invalid) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>();
        var words = new IReadOnlyList<string>[values.Length];
        foreach (TEnum value in values)
        {
            string key = JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
            if (table is null || !table.TryGetValue(key, out var list) || !HasWords(list))
            {
                throw invalid($"\"{section}\" needs a non-empty word list \"{key}\" (keys: {string.Join(", ", values.Select(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString())))})");
            }

            words[Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)] = list;
        }

        return words;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    /// <summary>Counter-based SplitMix64 stream keyed by (seed, sample, stream); a value type so each call owns its state.</summary>
    private struct SplitMix64
    {
        private ulong _state;

        public SplitMix64(ulong seed, long sample, long stream)
        {
            _state = Mix(Mix(Mix(seed) ^ (ulong)sample) ^ (ulong)stream);
        }

        public ulong NextBelow(int bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            return Mix(_state) % (ulong)bound;
        }

        private static ulong Mix(ulong z)
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
