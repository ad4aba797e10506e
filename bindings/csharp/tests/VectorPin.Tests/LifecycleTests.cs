using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>Disposal, external signers and loading the native library.</summary>
public sealed class LifecycleTests
{
    [Fact]
    public void Every_facade_refuses_use_after_dispose_and_tolerates_double_dispose()
    {
        var signer = TestSigner();
        var pin = signer.CreatePin("s", "m", SampleVector);
        var verifier = TestVerifier();
        var options = new PinOptions();
        var expect = new Expectations();

        foreach (IDisposable d in new IDisposable[] { signer, pin, verifier, options, expect })
        {
            d.Dispose();
            d.Dispose();
        }

        Assert.Equal(typeof(Signer).FullName, Assert.Throws<ObjectDisposedException>(() => signer.PublicKey).ObjectName);
        Assert.Throws<ObjectDisposedException>(() => signer.KeyId);
        Assert.Throws<ObjectDisposedException>(() => signer.Fingerprint);
        Assert.Throws<ObjectDisposedException>(() => signer.Save("/nonexistent"));
        Assert.Throws<ObjectDisposedException>(() => signer.CreatePin("s", "m", SampleVector));

        Assert.Equal(typeof(Pin).FullName, Assert.Throws<ObjectDisposedException>(() => pin.ToJson()).ObjectName);
        Assert.Throws<ObjectDisposedException>(() => pin.KeyId);
        Assert.Throws<ObjectDisposedException>(() => pin.Version);
        Assert.Throws<ObjectDisposedException>(() => pin.Extra);
        Assert.Throws<ObjectDisposedException>(() => pin.SignedBytes());
        Assert.Throws<ObjectDisposedException>(() => pin.TryGetExtra("k", out _));
        Assert.Equal("Pin (disposed)", pin.ToString());

        Assert.Equal(typeof(Verifier).FullName, Assert.Throws<ObjectDisposedException>(() => verifier.KeyCount).ObjectName);
        Assert.Throws<ObjectDisposedException>(() => verifier.AddKey("k", B64(TestPublicKeyB64)));
        Assert.Throws<ObjectDisposedException>(() => verifier.VerifyJson(SamplePinJson()));
        Assert.Throws<ObjectDisposedException>(() => verifier.AllowLegacyV1());

        Assert.Throws<ObjectDisposedException>(() => options.SetProtocol(2));
        Assert.Throws<ObjectDisposedException>(() => expect.SetModel("m"));

        // A live object used with a disposed one is refused too.
        using var liveSigner = TestSigner();
        using var liveVerifier = TestVerifier();
        Assert.Equal(typeof(PinOptions).FullName,
            Assert.Throws<ObjectDisposedException>(() => liveSigner.CreatePin("s", "m", SampleVector, options)).ObjectName);
        Assert.Throws<ObjectDisposedException>(() => liveVerifier.Verify(pin));
        using var livePin = liveSigner.CreatePin("s", "m", SampleVector);
        Assert.Equal(typeof(Expectations).FullName,
            Assert.Throws<ObjectDisposedException>(() => liveVerifier.Verify(livePin, "s", expect)).ObjectName);
        Assert.True(liveVerifier.Verify(livePin, "s").IsValid);
    }

    [Fact]
    public void Null_arguments_are_argument_exceptions()
    {
        using var signer = TestSigner();
        using var verifier = TestVerifier();
        Assert.Throws<ArgumentNullException>(() => Signer.FromSeed(null!, TestSeed));
        Assert.Throws<ArgumentNullException>(() => signer.CreatePin(SourceText.None, "m", SampleVector));
        Assert.Throws<ArgumentNullException>(() => signer.CreatePin("s", null!, SampleVector));
        Assert.Throws<ArgumentNullException>(() => verifier.Verify(null!));
        Assert.Throws<ArgumentNullException>(() => verifier.VerifyJson((string)null!));
        Assert.Throws<ArgumentNullException>(() => Pin.Parse((string)null!));
        Assert.Throws<ArgumentNullException>(() => Hashing.HashText((string)null!));
    }

    // ---- external signers ---------------------------------------------------------

    /// <summary>
    /// .NET cannot make Ed25519 signatures, so the "remote" key here replays the
    /// signature the in-process signer made over the same bytes (Ed25519 is
    /// deterministic): the external path must then produce the identical pin.
    /// </summary>
    private static (byte[] Message, byte[] Signature, string Json) Reference()
    {
        using var local = TestSigner("kms-key");
        using var options = new PinOptions().SetTimestamp(TestTimestamp);
        using var pin = local.CreatePin("s", "m", SampleVector, options);
        return (pin.SignedBytes(), pin.Signature, pin.ToJson());
    }

    [Fact]
    public void External_signer_produces_the_same_pin_as_the_local_key()
    {
        var (message, signature, json) = Reference();
        int calls = 0;
        using var external = Signer.External("kms-key", B64(TestPublicKeyB64), (msg, sig) =>
        {
            Interlocked.Increment(ref calls);
            if (!msg.SequenceEqual(message)) return false;
            signature.CopyTo(sig);
            return true;
        });
        Assert.Equal("kms-key", external.KeyId);
        Assert.Equal(B64(TestPublicKeyB64), external.PublicKey);
        using var options = new PinOptions().SetTimestamp(TestTimestamp);
        using var pin = external.CreatePin("s", "m", SampleVector, options);
        Assert.Equal(json, pin.ToJson());
        Assert.Equal(1, calls);

        // Many threads through one external signer.
        Parallel.For(0, 64, _ =>
        {
            using var p = external.CreatePin("s", "m", SampleVector, options);
            Assert.Equal(json, p.ToJson());
        });
        Assert.Equal(65, calls);

        // An external signer has no private key to save.
        Assert.Equal(VectorPinStatus.InvalidArgument,
            Assert.Throws<VectorPinException>(() => external.Save(Path.GetTempPath())).Status);
    }

    [Fact]
    public void External_signer_failures_are_reported_not_emitted()
    {
        byte[] key = B64(TestPublicKeyB64);
        using (var refuses = Signer.External("k", key, (_, _) => false))
        {
            var e = Assert.Throws<VectorPinException>(() => refuses.CreatePin("s", "m", SampleVector));
            Assert.Equal(VectorPinStatus.ExternalSignerFailed, e.Status);
            Assert.Null(e.InnerException);
        }
        using (var garbage = Signer.External("k", key, (_, sig) => { sig.Fill(0x42); return true; }))
        {
            var e = Assert.Throws<VectorPinException>(() => garbage.CreatePin("s", "m", SampleVector));
            Assert.Equal(VectorPinStatus.ExternalSignerFailed, e.Status);
        }
        using (var throws = Signer.External("k", key, (_, _) => throw new TimeoutException("KMS did not answer")))
        {
            var e = Assert.Throws<VectorPinException>(() => throws.CreatePin("s", "m", SampleVector));
            Assert.Equal(VectorPinStatus.ExternalSignerFailed, e.Status);
            Assert.IsType<TimeoutException>(e.InnerException);
            // The failure does not leak into the next, successful call on this thread.
            var (message, signature, _) = Reference();
            using var fine = Signer.External("kms-key", key, (msg, sig) => { signature.CopyTo(sig); return true; });
            using var options = new PinOptions().SetTimestamp(TestTimestamp);
            using var pin = fine.CreatePin("s", "m", SampleVector, options);
            Assert.Equal(signature, pin.Signature);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Signer ExternalWithOnlyTheSignerHoldingTheCallback(byte[] signature) =>
        Signer.External("kms-key", B64(TestPublicKeyB64), (_, sig) => { signature.CopyTo(sig); return true; });

    [Fact]
    public void The_signer_keeps_its_callback_alive()
    {
        var (_, signature, json) = Reference();
        using var signer = ExternalWithOnlyTheSignerHoldingTheCallback(signature);
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        using var options = new PinOptions().SetTimestamp(TestTimestamp);
        using var pin = signer.CreatePin("s", "m", SampleVector, options);
        Assert.Equal(json, pin.ToJson());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AbandonedExternalSigner()
    {
        // Captured by the callback's closure, so it lives exactly as long as the callback.
        var payload = new object();
        var weak = new WeakReference(payload);
        Signer.External("k", B64(TestPublicKeyB64), (_, _) => payload.GetHashCode() != 0);
        return weak;
    }

    [Fact]
    public void An_abandoned_external_signer_is_finalized_and_releases_its_callback()
    {
        var weak = AbandonedExternalSigner();
        for (int i = 0; i < 10 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive, "the callback of a finalized external signer is still rooted");
    }

    // ---- loading ------------------------------------------------------------------

    [Fact]
    public void The_bundled_library_is_loaded_from_the_runtimes_layout()
    {
        _ = VectorPinLibrary.Version;
        string? from = VectorPinLibrary.LoadedFrom;
        Assert.NotNull(from);
        if (Environment.GetEnvironmentVariable("VECTORPIN_NATIVE_LIBRARY") is null)
            Assert.EndsWith(Path.Combine("runtimes", "linux-x64", "native", "libvectorpin.so"), from);
    }

    private static (int Exit, string Stderr, string Stdout) RunShim(string nativeOverride, string verb)
    {
        string dll = RequiredEnv("VECTORPIN_CSHARP_SHIM", "VectorPin.Shim.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var psi = new ProcessStartInfo(dotnet) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add(verb);
        psi.Environment["VECTORPIN_NATIVE_LIBRARY"] = nativeOverride;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "the shim did not finish");
        return (p.ExitCode, stderr, stdout.Result);
    }

    [Fact]
    public void A_library_with_another_ABI_version_is_refused_with_a_clear_message()
    {
        string fake = RequiredEnv("VECTORPIN_FAKE_ABI_LIBRARY", "a library whose vectorpin_abi_version() returns the next ABI number");
        var (exit, stderr, _) = RunShim(fake, "version");
        Assert.Equal(3, exit);
        uint abi = VectorPinLibrary.RequiredAbiVersion;
        Assert.Contains($"has ABI version {abi + 1}, but this VectorPin binding needs ABI version {abi}", stderr);

        var missing = RunShim(Path.Combine(Path.GetTempPath(), "no-such-libvectorpin.so"), "version");
        Assert.Equal(3, missing.Exit);
        Assert.Contains("could not be loaded", missing.Stderr);

        string real = VectorPinLibrary.LoadedFrom!;
        var ok = RunShim(real, "version");
        Assert.True(ok.Exit == 0, ok.Stderr);
        Assert.Contains($"(ABI {abi})", ok.Stdout);
    }

    [Fact]
    public void The_NuGet_package_carries_the_native_library_in_the_runtimes_layout()
    {
        string nupkg = RequiredEnv("VECTORPIN_CSHARP_NUPKG", "the VectorPin .nupkg built by CMake");
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/VectorPin.dll", names);
        Assert.Contains("runtimes/linux-x64/native/libvectorpin.so", names);
        Assert.Contains("README.md", names);
        Assert.Contains("LICENSE", names);
        Assert.Contains("NOTICE", names);
        // Only the library and its native files: no interop program or tests.
        Assert.DoesNotContain(names, n => n.Contains("Interop", StringComparison.OrdinalIgnoreCase) ||
                                          n.Contains("Tests", StringComparison.OrdinalIgnoreCase));
        using (var nuspec = new StreamReader(zip.GetEntry("VectorPin.nuspec")!.Open()))
        {
            string text = nuspec.ReadToEnd();
            Assert.Contains("<license type=\"expression\">Apache-2.0</license>", text);
            Assert.Contains("<repository type=\"git\" url=\"https://github.com/vectorpin/vectorpin.git\"", text);
            Assert.Contains("<readme>README.md</readme>", text);
        }
        long size = zip.GetEntry("runtimes/linux-x64/native/libvectorpin.so")!.Length;
        Assert.Equal(new FileInfo(VectorPinLibrary.LoadedFrom!).Length, size);
    }
}
