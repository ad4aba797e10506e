using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Xunit;

namespace VectorPin.Tests;

/// <summary>Paths, fixture decoding and the deterministic test key.</summary>
internal static class Support
{
    /// <summary>Seed bytes 0x00..0x1f: public test data, never used for anything else.</summary>
    internal static readonly byte[] TestSeed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    internal const string TestPublicKeyB64 = "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg";

    internal const string TestTimestamp = "2026-05-05T12:00:00Z";

    internal static string TestVectorsDir
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("VECTORPIN_TESTVECTORS");
            if (!string.IsNullOrEmpty(dir)) return dir;
            // Without CMake: the directory is three levels above this file.
            return Path.GetFullPath(Path.Combine(SourceDir(), "..", "..", "..", "..", "testvectors"));
        }
    }

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    internal static string RequiredEnv(string name, string what)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        Assert.False(string.IsNullOrEmpty(value), $"{name} is not set: it must name {what} (ctest sets it).");
        return value!;
    }

    internal static JsonDocument LoadJson(string relative)
    {
        string path = Path.Combine(TestVectorsDir, relative);
        Assert.True(File.Exists(path), $"fixture file {path} is missing");
        return JsonDocument.Parse(File.ReadAllBytes(path));
    }

    internal static byte[] B64(string text) => Base64Url.Decode(text);

    internal static float[] F32(byte[] raw)
    {
        Assert.Equal(0, raw.Length % 4);
        var v = new float[raw.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
        return v;
    }

    internal static double[] F64(byte[] raw)
    {
        Assert.Equal(0, raw.Length % 8);
        var v = new double[raw.Length / 8];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * i));
        return v;
    }

    internal static VectorDType DType(string name) => name switch
    {
        "f32" => VectorDType.F32,
        "f64" => VectorDType.F64,
        _ => throw new ArgumentException("unknown dtype " + name),
    };

    internal static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static bool Has(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The status whose library name is <paramref name="name"/> (names come from vectorpin_status_name).</summary>
    internal static VectorPinStatus StatusNamed(string name)
    {
        foreach (VectorPinStatus s in Enum.GetValues<VectorPinStatus>())
            if (VectorPinLibrary.StatusName(s) == name)
                return s;
        throw new ArgumentException("no status is named " + name);
    }

    /// <summary>The status of an action: OK, or the status of the VectorPinException it threw.</summary>
    internal static string StatusOf(Action action)
    {
        try
        {
            action();
            return "OK";
        }
        catch (VectorPinException e)
        {
            return e.StatusName;
        }
    }

    internal static Signer TestSigner(string kid = "test-kid") => Signer.FromSeed(kid, TestSeed);

    /// <summary>A small, valid v2 pin signed with the test key at a fixed time.</summary>
    internal static string SamplePinJson(string kid = "test-kid", string source = "hello world", string model = "m")
    {
        using var signer = TestSigner(kid);
        using var options = new PinOptions().SetTimestamp(TestTimestamp);
        using var pin = signer.CreatePin(source, model, SampleVector, options);
        return pin.ToJson();
    }

    internal static readonly float[] SampleVector = { 0.25f, -0.5f, 1.0f, 0.125f };

    internal static Verifier TestVerifier(string kid = "test-kid")
    {
        var v = new Verifier();
        v.AddKey(kid, B64(TestPublicKeyB64));
        return v;
    }

    /// <summary>Throws (failing the current case) unless the values are equal.</summary>
    internal static void Same<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            throw new InvalidOperationException($"{what}: expected {expected}, got {actual}");
    }
}
