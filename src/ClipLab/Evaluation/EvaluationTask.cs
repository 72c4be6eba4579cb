namespace ClipLab.Evaluation;

/// <summary>Evaluation tasks that can be requested.</summary>
public enum EvaluationTask
{
    /// <summary>Zero-shot classification with a prompt-template ensemble (and on the shifted variants).</summary>
    ZeroShot,
    /// <summary>Image↔text retrieval where an image may have several captions.</summary>
    Retrieval,
    /// <summary>Logistic-regression probe on frozen features, L2 chosen on a validation split.</summary>
    LinearProbe,
    /// <summary>k-shot closed-form ridge regression on frozen features, averaged over seeds.</summary>
    FewShot,
}
