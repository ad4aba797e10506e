using System.Runtime.Versioning;

// The suite checks POSIX file modes of key files; the binding ships linux-x64.
[assembly: SupportedOSPlatform("linux")]
