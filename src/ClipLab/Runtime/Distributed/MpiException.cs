namespace ClipLab.Runtime.Distributed;

/// <summary>MPI could not be loaded, or a collective failed; the message says which and what to do.</summary>
public sealed class MpiException(string message) : Exception(message);
