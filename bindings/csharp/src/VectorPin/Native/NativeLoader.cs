using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectorPin.Native;

/// <summary>
/// Finds libvectorpin, and refuses it unless its ABI version is the one this
/// binding was written for.
/// </summary>
/// <remarks>
/// Search order:
/// <list type="number">
/// <item>the file named by the environment variable <c>VECTORPIN_NATIVE_LIBRARY</c>;</item>
/// <item><c>runtimes/&lt;rid&gt;/native/</c> beside the application and beside this assembly
/// (where a project reference or the NuGet package puts the bundled copy);</item>
/// <item>the runtime's default probing (the package's native assets listed in the
/// application's .deps.json, then the system loader path).</item>
/// </list>
/// </remarks>
internal static unsafe class NativeLoader
{
    /// <summary>The ABI version this binding is written against.</summary>
    internal const uint ExpectedAbiVersion = 2;

    internal const string OverrideVariable = "VECTORPIN_NATIVE_LIBRARY";

    private static readonly object Gate = new();
    private static nint _handle;
    private static string? _loadedFrom;
    private static VectorPinLoadException? _failure;

#pragma warning disable CA2255 // a library module initializer is what installs a DllImport resolver before the first call
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLoader).Assembly, Resolve);

    /// <summary>Where the library was loaded from (null until the first call).</summary>
    internal static string? LoadedFrom => _loadedFrom;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.Library)
            return IntPtr.Zero;
        lock (Gate)
        {
            if (_handle != 0) return _handle;
            // A refused or missing library stays refused: every later call
            // reports the same clear reason instead of retrying the search.
            if (_failure is not null) throw new VectorPinLoadException(_failure.Message);
            try
            {
                (_handle, _loadedFrom) = LoadChecked(assembly, searchPath);
                return _handle;
            }
            catch (VectorPinLoadException e)
            {
                _failure = e;
                throw;
            }
        }
    }

    private static (nint, string) LoadChecked(Assembly assembly, DllImportSearchPath? searchPath)
    {
        var tried = new List<string>();
        string? explicitPath = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (!NativeLibrary.TryLoad(explicitPath, out nint h))
                throw new VectorPinLoadException(
                    $"{OverrideVariable}={explicitPath} could not be loaded (missing file, wrong architecture or a missing dependency such as libsodium or libutf8proc).");
            return (Check(h, explicitPath), explicitPath);
        }

        foreach (string candidate in BundledCandidates(assembly))
        {
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out nint h))
                return (Check(h, candidate), candidate);
        }

        foreach (string name in SystemNames())
        {
            tried.Add(name);
            if (NativeLibrary.TryLoad(name, assembly, searchPath, out nint h))
                return (Check(h, name), name);
        }

        throw new VectorPinLoadException(
            "libvectorpin was not found (tried " + string.Join(", ", tried) + "). Build it with CMake, "
            + $"reference the VectorPin package, or set {OverrideVariable} to the library's path. "
            + "It also needs libsodium and libutf8proc on the system.");
    }

    private static nint Check(nint handle, string where)
    {
        if (!NativeLibrary.TryGetExport(handle, "vectorpin_abi_version", out nint export))
        {
            NativeLibrary.Free(handle);
            throw new VectorPinLoadException($"{where} is not libvectorpin (it has no vectorpin_abi_version).");
        }
        uint abi = ((delegate* unmanaged[Cdecl]<uint>)export)();
        if (abi != ExpectedAbiVersion)
        {
            NativeLibrary.Free(handle);
            throw new VectorPinLoadException(
                $"{where} has ABI version {abi}, but this VectorPin binding needs ABI version {ExpectedAbiVersion}; "
                + "use the library and the binding from the same release.");
        }
        return handle;
    }

    private static IEnumerable<string> BundledCandidates(Assembly assembly)
    {
        string rid = RuntimeId();
        string file = FileName();
        var dirs = new List<string> { Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory) };
        string? assemblyDir = string.IsNullOrEmpty(assembly.Location) ? null : Path.GetDirectoryName(assembly.Location);
        if (assemblyDir is not null && !dirs.Contains(Path.TrimEndingDirectorySeparator(assemblyDir)))
            dirs.Add(assemblyDir);
        foreach (string dir in dirs)
            yield return Path.Combine(dir, "runtimes", rid, "native", file);
    }

    private static IEnumerable<string> SystemNames()
    {
        yield return NativeMethods.Library;
        // A runtime-only system install ships only the SONAME, not the
        // development symlink libvectorpin.so.
        if (OperatingSystem.IsLinux())
            yield return "libvectorpin.so." + ExpectedAbiVersion;
    }

    private static string FileName() =>
        OperatingSystem.IsWindows() ? "vectorpin.dll"
        : OperatingSystem.IsMacOS() ? "libvectorpin.dylib"
        : "libvectorpin.so";

    internal static string RuntimeId()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            var other => other.ToString().ToLowerInvariant(),
        };
        return os + "-" + arch;
    }
}
