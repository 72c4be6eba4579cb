using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Evaluation.Suites;

/// <summary>A model as an evaluation sees it: the network, its tokenizer and the name reports give it.</summary>
/// <param name="Network">The model (evaluators leave it in eval mode).</param>
/// <param name="Tokenizer">Its tokenizer.</param>
/// <param name="Name">Model name in reports: the registered name, or <c>custom</c>.</param>
public sealed record EvaluatedModel(ClipModel Network, ClipTokenizer Tokenizer, string Name)
{
    /// <summary>The model of a run: named after <see cref="RunConfig.Model"/>, or <c>custom</c> when the config defines its own.</summary>
    public static EvaluatedModel Of(ClipModel network, ClipTokenizer tokenizer, RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(config);
        return new EvaluatedModel(network, tokenizer, config.ModelConfig is null ? config.Model : "custom");
    }
}
