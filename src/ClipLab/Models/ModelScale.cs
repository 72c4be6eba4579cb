namespace ClipLab.Models;

/// <summary>Which of the registry's two model families a named size belongs to; the listing shows paper scale first.</summary>
public enum ModelScale
{
    /// <summary>The published encoders the paper compares (224 px).</summary>
    Paper,

    /// <summary>The scaled-down towers that train on a CPU in minutes (32–64 px).</summary>
    Cpu,
}
