using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>Both batch forms against one-at-a-time verification.</summary>
public sealed class BatchTests
{
    /// <summary>One case: how to verify it alone, and the same as a batch item or a submission.</summary>
    private sealed record Case(
        string Name,
        string Json,
        string? Source = null,
        byte[]? SourceUtf8 = null,
        float[]? F32 = null,
        double[]? F64 = null,
        Expectations? Expect = null)
    {
        public BatchItem Item()
        {
            var item = new BatchItem(Json).WithExpectations(Expect);
            if (SourceUtf8 is not null) item = item.WithSource(SourceUtf8);
            else item = item.WithSource(Source);
            if (F32 is not null) item = item.WithVector(F32);
            else if (F64 is not null) item = item.WithVector(F64);
            return item;
        }

        private SourceText SourceArg() =>
            SourceUtf8 is not null ? SourceText.FromUtf8(SourceUtf8) : SourceText.FromString(Source);

        public (VectorPinStatus, string, long?) Alone(Verifier v)
        {
            try
            {
                VerificationResult r = F32 is not null ? v.VerifyJson(Json, F32, SourceArg(), Expect)
                    : F64 is not null ? v.VerifyJson(Json, F64, SourceArg(), Expect)
                    : v.VerifyJson(Json, SourceArg(), Expect);
                return (r.Status, r.Detail, r.Offset);
            }
            catch (VectorPinException e)
            {
                return (e.Status, e.Detail, e.Offset);
            }
        }

        public void Submit(VerificationBatch batch, ulong cookie)
        {
            if (F32 is not null) batch.Submit(cookie, Json, F32, SourceArg(), Expect);
            else if (F64 is not null) batch.Submit(cookie, Json, F64, SourceArg(), Expect);
            else batch.Submit(cookie, Json, SourceArg(), Expect);
        }
    }

    private static List<Case> Cases(Expectations rightRecord, Expectations wrongRecord)
    {
        using var signer = TestSigner();
        using var options = new PinOptions().SetTimestamp(TestTimestamp).SetRecordId("rec-1");
        float[] v32 = { 0.5f, -1.25f, 3f, 0.0625f };
        double[] v64 = { 0.1, -2.5, 1e-300, 7 };
        string p32, p64, pEmpty;
        using (var pin = signer.CreatePin("the source", "m", v32, options)) p32 = pin.ToJson();
        using (var pin = signer.CreatePin("double source", "m", v64, options)) p64 = pin.ToJson();
        using (var pin = signer.CreatePin("", "m", v32, options)) pEmpty = pin.ToJson();
        float[] tampered = (float[])v32.Clone();
        tampered[2] = 3.0000002f;
        string otherKid;
        using (var other = TestSigner("nobody"))
        using (var pin = other.CreatePin("the source", "m", v32, options))
            otherKid = pin.ToJson();

        return new List<Case>
        {
            new("ok f32, source and expectations", p32, "the source", F32: v32, Expect: rightRecord),
            new("ok f64", p64, "double source", F64: v64),
            new("signature only", p32),
            new("ok with utf8 source", p32, SourceUtf8: Encoding.UTF8.GetBytes("the source")),
            new("empty source supplied", pEmpty, ""),
            new("empty source wrongly supplied", p32, ""),
            new("tampered vector", p32, "the source", F32: tampered),
            new("wrong source", p32, "another source", F32: v32),
            new("NFD source equals NFC", p32, "the source".Normalize(NormalizationForm.FormD), F32: v32),
            new("shape mismatch", p32, F32: v32[..3]),
            new("empty vector", p32, F32: Array.Empty<float>()),
            new("f64 vector for an f32 pin", p32, F64: v32.Select(x => (double)x).ToArray()),
            new("NaN in vector", p32, F32: new[] { float.NaN, 0f, 0f, 0f }),
            new("wrong record", p32, Expect: wrongRecord),
            new("unknown key", otherKid, "the source", F32: v32),
            new("parse error", "{\"v\":2,", "the source"),
            new("empty json", ""),
            new("duplicate key", "{\"v\":2," + p32[1..]),
            new("invalid utf-8 source", p32, SourceUtf8: new byte[] { 0x74, 0xC3, 0x28 }),
            new("lone surrogate in source", p32, "the source\uD800", F32: v32),
        };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void VerifyBatch_gives_each_item_the_one_at_a_time_result(int threads)
    {
        using var verifier = TestVerifier();
        using var right = new Expectations().SetRecordId("rec-1").SetModel("m");
        using var wrong = new Expectations().SetRecordId("rec-2");
        var cases = Cases(right, wrong);
        // Repeated so several threads have work, sharing the expectations objects.
        var all = Enumerable.Range(0, 5).SelectMany(_ => cases).ToList();

        VerificationResult[] results = verifier.VerifyBatch(all.Select(c => c.Item()).ToList(), threads);

        Assert.Equal(all.Count, results.Length);
        for (int i = 0; i < all.Count; i++)
        {
            var expected = all[i].Alone(verifier);
            Assert.True(expected == (results[i].Status, results[i].Detail, results[i].Offset),
                $"{all[i].Name}: alone {expected}, in batch {(results[i].Status, results[i].Detail, results[i].Offset)}");
        }
        // The cases are not all alike: both outcomes and several failure kinds occur.
        Assert.Contains(results, r => r.IsValid);
        Assert.True(results.Select(r => r.Status).Distinct().Count() >= 7);
        Assert.Contains(results, r => r.Status == VectorPinStatus.RecordMismatch);
        Assert.Contains(results, r => r.Status == VectorPinStatus.ParseError && r.Offset is not null);
    }

    [Fact]
    public void VerifyBatch_edges()
    {
        using var verifier = TestVerifier();
        Assert.Empty(verifier.VerifyBatch(Array.Empty<BatchItem>()));

        var one = new[] { new BatchItem(SamplePinJson()).WithVector(SampleVector) };
        Assert.True(verifier.VerifyBatch(one, 1).Single().IsValid);

        var e = Assert.Throws<VectorPinException>(() => verifier.VerifyBatch(one, Verifier.MaxBatchThreads + 1));
        Assert.Equal(VectorPinStatus.InvalidArgument, e.Status);
        Assert.Equal(256, Verifier.MaxBatchThreads);

        Assert.Throws<ArgumentException>(() => verifier.VerifyBatch(new BatchItem[] { null! }));

        // Each With... returns a new item; a later call replaces an earlier one.
        var signatureOnly = new BatchItem(SamplePinJson());
        var full = signatureOnly.WithSource("hello world").WithVector(new double[4]).WithVector(SampleVector);
        var wrongSource = full.WithSource("other");
        var noSource = wrongSource.WithSource((string?)null);
        var results = verifier.VerifyBatch(new[] { signatureOnly, full, wrongSource, noSource,
                                                    full.WithSource(Encoding.UTF8.GetBytes("hello world")),
                                                    full.WithVector(new double[] { 0.25, -0.5, 1, 0.125 }) });
        Assert.Equal(new[] { VectorPinStatus.Ok, VectorPinStatus.Ok, VectorPinStatus.SourceMismatch, VectorPinStatus.Ok,
                             VectorPinStatus.Ok, VectorPinStatus.Ok },
                     results.Select(r => r.Status));

        var expect = new Expectations().SetModel("m");
        expect.Dispose();
        Assert.Throws<ObjectDisposedException>(() => verifier.VerifyBatch(new[] { new BatchItem(SamplePinJson()).WithExpectations(expect) }));
        // The failed call left nothing locked: the verifier can still change.
        verifier.AddKey("after", B64(TestPublicKeyB64));

        verifier.Dispose();
        Assert.Throws<ObjectDisposedException>(() => verifier.VerifyBatch(one));
    }

    [Fact]
    public void A_streaming_batch_gives_each_item_the_one_at_a_time_result_in_order()
    {
        using var verifier = TestVerifier();
        using var right = new Expectations().SetRecordId("rec-1");
        using var wrong = new Expectations().SetRecordId("rec-2");
        var cases = Cases(right, wrong);
        using var batch = verifier.StartBatch(3);
        Assert.Equal(3, batch.Threads);
        Assert.Equal(0, batch.Pending);
        Assert.False(batch.TryGetResult(out _));
        Assert.False(batch.WaitForResult(out _));

        for (int i = 0; i < cases.Count; i++)
            cases[i].Submit(batch, 1000 + (ulong)i);
        Assert.Equal(cases.Count, batch.Pending);

        for (int i = 0; i < cases.Count; i++)
        {
            Assert.True(batch.WaitForResult(out var r), $"result {i} missing");
            Assert.Equal(1000 + (ulong)i, r.Cookie);
            var expected = cases[i].Alone(verifier);
            Assert.True(expected == (r.Result.Status, r.Result.Detail, r.Result.Offset),
                $"{cases[i].Name}: alone {expected}, streamed {(r.Result.Status, r.Result.Detail, r.Result.Offset)}");
        }
        Assert.Equal(0, batch.Pending);
        Assert.False(batch.WaitForResult(out _));
    }

    [Fact]
    public async Task A_producer_and_a_consumer_share_a_streaming_batch()
    {
        using var signer = TestSigner();
        using var verifier = TestVerifier();
        const int N = 400;
        var vectors = Enumerable.Range(0, N).Select(i => new[] { i, 1f, -i, 0.5f }).ToArray();
        var jsons = vectors.Select((v, i) =>
        {
            using var p = signer.CreatePin("doc " + i, "m", v);
            return p.ToJson();
        }).ToArray();

        using var batch = new VerificationBatch(verifier, 2);
        var producer = Task.Run(() =>
        {
            var scratch = new float[4];
            for (int i = 0; i < N; i++)
            {
                // The buffer is reused at once: submit copies what it needs.
                vectors[i].CopyTo(scratch, 0);
                if (i % 3 == 0) scratch[0] += 1;
                batch.Submit((ulong)i, jsons[i], scratch, "doc " + i);
                Array.Clear(scratch);
            }
        });
        int collected = 0;
        while (collected < N)
        {
            if (!batch.TryGetResult(out var r))
            {
                await Task.Yield();
                continue;
            }
            Assert.Equal((ulong)collected, r.Cookie);
            var want = collected % 3 == 0 ? VectorPinStatus.VectorTampered : VectorPinStatus.Ok;
            Assert.Equal(want, r.Result.Status);
            collected++;
        }
        await producer;
        Assert.Equal(0, batch.Pending);
    }

    [Fact]
    public void A_streaming_batch_freezes_and_keeps_its_verifier()
    {
        var verifier = TestVerifier();
        string json = SamplePinJson();
        var batch = verifier.StartBatch(1);

        // The native batch reads the registry on its threads: no changes meanwhile.
        var e = Assert.Throws<InvalidOperationException>(() => verifier.AddKey("k2", B64(TestPublicKeyB64)));
        Assert.Contains("batch", e.Message);
        Assert.Throws<InvalidOperationException>(() => verifier.AllowLegacyV1());
        Assert.True(verifier.VerifyJson(json, SampleVector).IsValid);

        // Disposing the verifier first is allowed: the batch keeps it alive.
        verifier.Dispose();
        Assert.Throws<ObjectDisposedException>(() => verifier.KeyCount);
        batch.Submit(7, json, SampleVector, "hello world");
        Assert.True(batch.WaitForResult(out var r));
        Assert.Equal(7UL, r.Cookie);
        Assert.True(r.Result.IsValid, r.Result.ToString());

        batch.Submit(8, json, SampleVector);
        batch.Dispose();   // drops the uncollected result
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Submit(9, json));
        Assert.Throws<ObjectDisposedException>(() => batch.TryGetResult(out _));
        Assert.Throws<ObjectDisposedException>(() => batch.Pending);
        Assert.Throws<ObjectDisposedException>(() => new VerificationBatch(verifier));

        // Once the batch is gone a live verifier can change again.
        using var live = TestVerifier();
        using (live.StartBatch(1)) { }
        live.AddKey("k2", B64(TestPublicKeyB64));
        Assert.Equal(2, live.KeyCount);
        Assert.Throws<VectorPinException>(() => live.StartBatch(Verifier.MaxBatchThreads + 1));
        live.AddKey("k3", B64(TestPublicKeyB64));
    }
}
