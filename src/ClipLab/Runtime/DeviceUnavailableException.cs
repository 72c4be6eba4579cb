namespace ClipLab.Runtime;

/// <summary>
/// The requested device cannot be used on this machine or with this build (no GPU, no CUDA libtorch, an incompatible
/// libtorch). The message names what is missing and how to get it. It derives from <see cref="InvalidOperationException"/>
/// so that the CLI reports it as one line, like every other user error.
/// </summary>
public sealed class DeviceUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public DeviceUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
