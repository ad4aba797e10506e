using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>One verifier and one signer shared by many threads at once.</summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int Rounds = 200;

    [Fact]
    public async Task One_verifier_from_many_threads_gives_every_result_right()
    {
        using var signer = TestSigner("shared");
        using var verifier = TestVerifier("shared");
        using var expect = new Expectations().SetRecordId("rec");
        using var options = new PinOptions().SetRecordId("rec").SetTimestamp(TestTimestamp);
        var vectors = Enumerable.Range(0, 16).Select(i => Enumerable.Range(0, 64).Select(j => (float)(i * 64 + j) / 100f).ToArray()).ToArray();
        var pins = vectors.Select((v, i) => signer.CreatePin("source " + i, "m", v, options)).ToArray();
        var jsons = pins.Select(p => p.ToJson()).ToArray();

        int wrong = 0, done = 0;
        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var tampered = new float[64];
            for (int r = 0; r < Rounds; r++)
            {
                int i = (t * 7 + r) % pins.Length;
                bool ok = verifier.Verify(pins[i], vectors[i], "source " + i, expect).Status == VectorPinStatus.Ok;
                vectors[i].CopyTo(tampered, 0);
                tampered[r % 64] += 1f;
                bool caught = verifier.Verify(pins[i], tampered).Status == VectorPinStatus.VectorTampered;
                bool wrongSource = verifier.VerifyJson(jsons[i], "source " + (i + 1)).Status == VectorPinStatus.SourceMismatch;
                bool shape = verifier.Verify(pins[i], vectors[i].AsSpan(1)).Status == VectorPinStatus.ShapeMismatch;
                if (!(ok && caught && wrongSource && shape)) Interlocked.Increment(ref wrong);
                Interlocked.Increment(ref done);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);
        foreach (var p in pins) p.Dispose();
        Assert.Equal(Threads * Rounds, done);
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void One_signer_from_many_threads_gives_verifiable_pins()
    {
        using var signer = Signer.Generate("gen");
        using var verifier = new Verifier();
        verifier.AddKey("gen", signer.PublicKey);
        int bad = 0;
        Parallel.For(0, Threads * 25, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            double[] v = { i, i + 0.5, -i };
            using var pin = signer.CreatePin("text " + i, "m", v);
            if (verifier.Verify(pin, v, "text " + i).Status != VectorPinStatus.Ok) Interlocked.Increment(ref bad);
        });
        Assert.Equal(0, bad);
    }

    [Fact]
    public async Task Adding_keys_while_others_verify_is_serialised_by_the_binding()
    {
        using var verifier = TestVerifier("k0");
        string json = SamplePinJson("k0");
        using var stop = new CancellationTokenSource();
        int failures = 0;
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                if (verifier.VerifyJson(json, SampleVector).Status != VectorPinStatus.Ok)
                    Interlocked.Increment(ref failures);
        })).ToArray();
        byte[] key = B64(TestPublicKeyB64);
        for (int i = 1; i <= 200; i++) verifier.AddKey("k" + i, key);
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Equal(0, failures);
        Assert.Equal(201, verifier.KeyCount);
    }

    [Fact]
    public async Task Disposing_while_other_threads_verify_never_crashes()
    {
        for (int round = 0; round < 20; round++)
        {
            var verifier = TestVerifier();
            string json = SamplePinJson();
            using var go = new Barrier(5);
            int ok = 0, disposed = 0, other = 0;
            var readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
            {
                go.SignalAndWait();
                for (int i = 0; i < 50; i++)
                {
                    try
                    {
                        if (verifier.VerifyJson(json, SampleVector).IsValid) Interlocked.Increment(ref ok);
                        else Interlocked.Increment(ref other);
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref disposed);
                    }
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            go.SignalAndWait();
            verifier.Dispose();
            await Task.WhenAll(readers);
            Assert.Equal(0, other);
            Assert.Equal(200, ok + disposed);
        }
    }
}
