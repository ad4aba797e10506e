using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>The facade over the whole C ABI.</summary>
public sealed class ApiTests
{
    [Fact]
    public void Library_versions_and_constants()
    {
        Assert.Equal("0.1.0", VectorPinLibrary.Version);
        Assert.Equal(100u, VectorPinLibrary.VersionNumber);
        Assert.Equal(2u, VectorPinLibrary.AbiVersion);
        Assert.Equal(2, VectorPinLibrary.ProtocolVersion);
        Assert.Equal(32, VectorPinLibrary.PublicKeyBytes);
        Assert.Equal(32, VectorPinLibrary.SeedBytes);
        Assert.Equal(64, VectorPinLibrary.SignatureBytes);
        Assert.Equal(72, VectorPinLibrary.HashStringBufferBytes);
        Assert.Equal(20, VectorPinLibrary.FingerprintBufferBytes);
        Assert.Equal(21, VectorPinLibrary.TimestampBufferBytes);
        Assert.Equal(65536, VectorPinLibrary.MaxPinJsonBytes);
        Assert.Equal(1048576, VectorPinLibrary.MaxVectorDimension);
        Assert.Equal(32, VectorPinLibrary.MaxExtraEntries);
        Assert.Equal(128, VectorPinLibrary.MaxExtraKeyBytes);
        Assert.Equal(1024, VectorPinLibrary.MaxExtraValueBytes);
        Assert.Equal(256, VectorPinLibrary.ErrorMessageBytes);
        Assert.Equal(128, VectorPinLibrary.DefaultPreparedKeyLimit);
        Assert.True(VectorPinLibrary.PreparedKeyBytes > 100000);
        Assert.NotNull(VectorPinLibrary.LoadedFrom);
    }

    // The limit bounds how many keys get tables, never an answer (none at all
    // on libsodium's engine).
    [Fact]
    public void The_prepared_key_limit_bounds_tables_not_answers()
    {
        bool tables = Environment.GetEnvironmentVariable("VECTORPIN_ED25519") != "libsodium";
        float[] vector = { 0.25f, -0.5f, 1f, 2f };
        using var s0 = Signer.Generate("k0");
        using var s1 = Signer.Generate("k1");
        using var s2 = Signer.Generate("k2");
        using var p0 = s0.CreatePin("text", "model", vector);
        using var p1 = s1.CreatePin("text", "model", vector);
        using var p2 = s2.CreatePin("text", "model", vector);
        foreach (long limit in new long[] { 0, 1, 2, VectorPinLibrary.DefaultPreparedKeyLimit })
        {
            using var v = new Verifier();
            Assert.Equal(VectorPinLibrary.DefaultPreparedKeyLimit, v.PreparedKeyLimit);
            v.PreparedKeyLimit = limit;
            Assert.Equal(limit, v.PreparedKeyLimit);
            v.AddKey("k0", s0.PublicKey);
            v.AddKey("k1", s1.PublicKey);
            v.AddKey("k2", s0.PublicKey); // the wrong key: k2's pin must fail, table or not
            for (int round = 0; round < 2; round++)
            {
                Assert.Equal(VectorPinStatus.Ok, v.Verify(p0, vector, "text").Status);
                Assert.Equal(VectorPinStatus.Ok, v.Verify(p1, vector, "text").Status);
                Assert.Equal(VectorPinStatus.SignatureInvalid, v.Verify(p2, vector, "text").Status);
            }
            Assert.Equal(tables ? Math.Min(limit, 3) : 0, v.PreparedKeyCount);
        }
        using var w = new Verifier();
        Assert.Throws<ArgumentOutOfRangeException>(() => w.PreparedKeyLimit = -1);
        w.Dispose();
        Assert.Throws<ObjectDisposedException>(() => w.PreparedKeyLimit = 1);
        Assert.Throws<ObjectDisposedException>(() => w.PreparedKeyCount);
    }

    [Fact]
    public unsafe void The_error_struct_matches_the_C_layout()
    {
        Assert.Equal(8 + 8 + 256, sizeof(Native.NativeError));
        Assert.Equal(Native.NativeError.MessageBytes, VectorPinLibrary.ErrorMessageBytes);
    }

    private static string UpperSnake(string pascal) => Regex.Replace(pascal, "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();

    [Fact]
    public void The_status_enum_is_exactly_the_library_s_codes()
    {
        var values = Enum.GetValues<VectorPinStatus>();
        Assert.Equal(25, values.Length);
        foreach (var s in values)
        {
            string name = VectorPinLibrary.StatusName(s);
            Assert.NotEqual("UNKNOWN_STATUS", name);
            Assert.Equal(UpperSnake(s.ToString()), name);
            Assert.Equal(s, StatusNamed(name));
            Assert.Equal((int)s >= 1 && (int)s <= 12, VectorPinLibrary.IsVerificationFailure(s));
        }
        Assert.Equal(values.Length, new HashSet<string>(values.Select(VectorPinLibrary.StatusName)).Count);
        // Every number the library names is in the enum.
        for (int n = -5; n < 1000; n++)
            if (VectorPinLibrary.StatusName(n) != "UNKNOWN_STATUS")
                Assert.True(Enum.IsDefined((VectorPinStatus)n), $"status {n} ({VectorPinLibrary.StatusName(n)}) is missing from the enum");
    }

    [Fact]
    public void Exceptions_carry_status_name_detail_and_offset()
    {
        var e = Assert.Throws<VectorPinException>(() => Pin.Parse("{\"v\":2, x}"));
        Assert.Equal(VectorPinStatus.ParseError, e.Status);
        Assert.Equal("PARSE_ERROR", e.StatusName);
        Assert.False(string.IsNullOrEmpty(e.Detail));
        Assert.StartsWith("PARSE_ERROR: ", e.Message);
        Assert.NotNull(e.Offset);
        Assert.InRange(e.Offset!.Value, 0, 10);
    }

    [Fact]
    public void Pin_getters_read_every_field()
    {
        using var doc = LoadJson("v2.json");
        var f = doc.RootElement.GetProperty("fixtures").EnumerateArray().First(x => x.GetProperty("input").Has("extra"));
        var model = doc.RootElement.GetProperty("fixtures").EnumerateArray().First(x => x.GetProperty("input").Has("model_hash"));
        using var pin = Pin.Parse(f.Str("pin_json")!);
        var input = f.GetProperty("input");
        Assert.Equal(doc.RootElement.Str("key_id"), pin.KeyId);
        Assert.Equal(input.Str("model"), pin.Model);
        Assert.Null(pin.ModelHash);
        Assert.Equal(f.Str("expected_source_hash"), pin.SourceHash);
        Assert.Equal(f.Str("expected_vec_hash"), pin.VectorHash);
        Assert.Equal(input.Str("vec_dtype"), pin.VectorDTypeName);
        Assert.Equal(DType(input.Str("vec_dtype")!), pin.VectorDType);
        Assert.Equal(input.GetProperty("vec_dim").GetInt32(), pin.VectorDimension);
        Assert.Equal(input.Str("timestamp"), pin.Timestamp);
        Assert.Equal(2, pin.Version);
        Assert.Equal(Base64Url.Decode(pin.SignatureBase64Url), pin.Signature);
        var extra = input.GetProperty("extra").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(extra.Count, pin.Extra.Count);
        Assert.Equal(pin.Extra.Select(e => e.Key).OrderBy(k => Encoding.UTF8.GetBytes(k), ByteOrder.Instance), pin.Extra.Select(e => e.Key));
        foreach (var e in pin.Extra)
        {
            Assert.Equal(extra[e.Key], e.Value);
            Assert.True(pin.TryGetExtra(e.Key, out string v));
            Assert.Equal(e.Value, v);
        }
        Assert.False(pin.TryGetExtra("absent", out _));
        Assert.Equal(f.Str("pin_json"), pin.ToJson());
        Assert.Equal(Encoding.UTF8.GetBytes(pin.ToJson()), pin.ToJsonUtf8());
        Assert.Equal(pin.ToJson(), pin.ToString());
        Assert.Equal(Base64Url.Decode(f.Str("expected_canonical_bytes_b64")!), pin.SignedBytes());

        using var withHash = Pin.Parse(model.Str("pin_json")!);
        Assert.Equal(model.GetProperty("input").Str("model_hash"), withHash.ModelHash);
        Assert.Empty(withHash.Extra);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    [Fact]
    public void Signer_identity_and_normalisation()
    {
        using var signer = Signer.FromSeed("cafe\u0301", TestSeed);
        Assert.Equal("caf\u00e9", signer.KeyId);
        Assert.Equal(TestPublicKeyB64, signer.PublicKeyBase64Url);
        Assert.Equal(B64(TestPublicKeyB64), signer.PublicKey);
        Assert.Equal("5647:5aa7:5463:474c", signer.Fingerprint);
        Assert.Equal(signer.PublicKey, PublicKeys.Decode(signer.PublicKeyPem));
        Assert.Equal(signer.PublicKey, PublicKeys.Decode(TestPublicKeyB64));
        using var pin = signer.CreatePin("s", "mode\u0300le", SampleVector);
        Assert.Equal("caf\u00e9", pin.KeyId);
        Assert.Equal("mod\u00e8le", pin.Model);

        using var fromRaw = Signer.FromPrivateKey("k", TestSeed);
        Assert.Equal(signer.PublicKey, fromRaw.PublicKey);
        Assert.Equal(VectorPinStatus.InvalidKey,
            Assert.Throws<VectorPinException>(() => Signer.FromPrivateKey("k", new byte[31])).Status);
        Assert.Throws<VectorPinException>(() => Signer.FromSeed("k", new byte[16]));

        using var a = Signer.Generate("g");
        using var b = Signer.Generate("g");
        Assert.NotEqual(a.PublicKey, b.PublicKey);
    }

    [Fact]
    public void Options_choose_protocol_dtype_model_hash_timestamp_and_extra()
    {
        using var signer = TestSigner();
        string modelHash = "sha256:" + new string('a', 64);
        using var options = new PinOptions()
            .SetProtocol(1).SetDType(VectorDType.F64).SetModelHash(modelHash).SetTimestamp("2030-01-02T03:04:05Z")
            .SetExtra("z", "last").SetRecordId("r").SetCollectionId("c").SetTenantId("t");
        using var pin = signer.CreatePin("s", "m", SampleVector, options);
        Assert.Equal(1, pin.Version);
        Assert.Equal(VectorDType.F64, pin.VectorDType);
        Assert.Equal(Hashing.HashVector(SampleVector.Select(x => (double)x).ToArray(), VectorDType.F64), pin.VectorHash);
        Assert.Equal(modelHash, pin.ModelHash);
        Assert.Equal("2030-01-02T03:04:05Z", pin.Timestamp);
        Assert.Equal(new[] { "vectorpin.collection_id", "vectorpin.record_id", "vectorpin.tenant_id", "z" }, pin.Extra.Select(e => e.Key));
        Assert.False(pin.SignedBytes().AsSpan().StartsWith("vectorpin/v2\0"u8));

        options.SetProtocol(2).SetExtra("z", "replaced");
        using var v2 = signer.CreatePin("s", "m", SampleVector, options);
        Assert.True(v2.SignedBytes().AsSpan().StartsWith("vectorpin/v2\0"u8));
        Assert.True(v2.TryGetExtra("z", out string z));
        Assert.Equal("replaced", z);

        Assert.Throws<VectorPinException>(() => options.SetProtocol(3));
        Assert.Throws<VectorPinException>(() => options.SetDType((VectorDType)7));
        string badHash = StatusOf(() =>
        {
            using var o = new PinOptions().SetModelHash("sha256:XYZ");
            using var p = signer.CreatePin("s", "m", SampleVector, o);
        });
        Assert.Equal("INVALID_INPUT", badHash);
        string badTs = StatusOf(() =>
        {
            using var o = new PinOptions().SetTimestamp("2023-02-29T00:00:00Z");
            using var p = signer.CreatePin("s", "m", SampleVector, o);
        });
        Assert.Equal("INVALID_INPUT", badTs);
    }

    [Fact]
    public void Default_timestamp_is_now()
    {
        using var signer = TestSigner();
        using var pin = signer.CreatePin("s", "m", SampleVector);
        var ts = DateTime.ParseExact(pin.Timestamp, "yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture,
                                     System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange((DateTime.UtcNow - ts).TotalSeconds, -5, 120);
        Assert.True(Timestamps.IsValid(Timestamps.Now()));
    }

    [Fact]
    public void Timestamps_are_checked_strictly()
    {
        Assert.True(Timestamps.IsValid("2024-02-29T23:59:59Z"));
        Assert.False(Timestamps.IsValid("2023-02-29T00:00:00Z"));
        Assert.False(Timestamps.IsValid("2024-01-01T00:00:60Z"));
        Assert.False(Timestamps.IsValid("2024-01-01 00:00:00Z"));
        Assert.False(Timestamps.IsValid("2024-01-01T00:00:00.5Z"));
        Assert.False(Timestamps.IsValid(""));
        Timestamps.Check("2026-05-05T12:00:00Z");
        Assert.Equal(VectorPinStatus.InvalidInput, Assert.Throws<VectorPinException>(() => Timestamps.Check("2024-13-01T00:00:00Z")).Status);
    }

    [Fact]
    public void Verifier_checks_vector_source_and_every_expectation()
    {
        using var signer = TestSigner();
        using var options = new PinOptions().SetTimestamp(TestTimestamp).SetRecordId("r").SetCollectionId("c").SetTenantId("t");
        double[] v = { 1.5, -2.25 };
        using var pin = signer.CreatePin("the source", "model-1", v, options);
        using var verifier = TestVerifier();

        Assert.True(verifier.Verify(pin).IsValid);
        Assert.True(verifier.Verify(pin, v, "the source").IsValid);
        Assert.True(verifier.Verify(pin, v, SourceText.FromUtf8("the source"u8)).IsValid);
        Assert.Equal(VectorPinStatus.SourceMismatch, verifier.Verify(pin, v, "other").Status);
        // An empty source is supplied (and wrong); SourceText.None skips the check.
        Assert.Equal(VectorPinStatus.SourceMismatch, verifier.Verify(pin, "").Status);
        Assert.Equal(VectorPinStatus.SourceMismatch, verifier.Verify(pin, SourceText.FromUtf8(ReadOnlySpan<byte>.Empty)).Status);
        Assert.True(verifier.Verify(pin, SourceText.None).IsValid);
        Assert.True(verifier.Verify(pin, (string?)null).IsValid);

        using (var all = new Expectations().SetModel("model-1").SetRecordId("r").SetCollectionId("c").SetTenantId("t"))
            Assert.True(verifier.Verify(pin, v, "the source", all).IsValid);
        foreach (var (kind, status) in new[]
                 {
                     (ExpectationKind.Model, VectorPinStatus.ModelMismatch),
                     (ExpectationKind.RecordId, VectorPinStatus.RecordMismatch),
                     (ExpectationKind.CollectionId, VectorPinStatus.CollectionMismatch),
                     (ExpectationKind.TenantId, VectorPinStatus.TenantMismatch),
                 })
        {
            using var e = new Expectations().Set(kind, "other");
            var result = verifier.Verify(pin, v, "the source", e);
            Assert.Equal(status, result.Status);
            Assert.False(result.IsValid);
            var thrown = Assert.Throws<VectorPinException>(result.ThrowIfInvalid);
            Assert.Equal(status, thrown.Status);
            Assert.Equal(result.StatusName + ": " + result.Detail, result.ToString());
        }

        // The vector checks come before the source: tampering wins.
        double[] changed = { 1.5, -2.0 };
        Assert.Equal(VectorPinStatus.VectorTampered, verifier.Verify(pin, changed, "other").Status);
        // f64 pin checked with an f32 vector: the library casts and compares.
        float[] asFloat = { 1.5f, -2.25f };
        Assert.Equal(VectorPinStatus.Ok, verifier.Verify(pin, asFloat).Status);
    }

    [Fact]
    public void Empty_source_round_trips()
    {
        using var signer = TestSigner();
        using var pin = signer.CreatePin("", "m", SampleVector);
        using var verifier = TestVerifier();
        Assert.Equal(Hashing.HashText(""), pin.SourceHash);
        Assert.True(verifier.Verify(pin, SampleVector, "").IsValid);
        Assert.Equal(VectorPinStatus.SourceMismatch, verifier.Verify(pin, SampleVector, " ").Status);
    }

    [Fact]
    public void Key_windows_duplicates_registry_and_legacy()
    {
        string json = SamplePinJson("win"); // ts = 2026-05-05T12:00:00Z
        using (var v = new Verifier())
        {
            v.AddKey("win", B64(TestPublicKeyB64), validFrom: "2026-05-05T12:00:00Z", validUntil: "2026-05-05T12:00:01Z");
            Assert.True(v.VerifyJson(json).IsValid);
        }
        using (var v = new Verifier())
        {
            v.AddKey("win", TestPublicKeyB64, validUntil: "2026-05-05T12:00:00Z");
            Assert.Equal(VectorPinStatus.KeyExpired, v.VerifyJson(json).Status);
        }
        using (var v = new Verifier())
        {
            v.AddKey("win", PublicKeys.ToPem(B64(TestPublicKeyB64)), validFrom: "2026-05-05T12:00:01Z");
            Assert.Equal(VectorPinStatus.KeyExpired, v.VerifyJson(json).Status);
            Assert.Equal(VectorPinStatus.DuplicateKeyId,
                Assert.Throws<VectorPinException>(() => v.AddKey("win", B64(TestPublicKeyB64))).Status);
            Assert.Equal(VectorPinStatus.InvalidInput,
                Assert.Throws<VectorPinException>(() => v.AddKey("other", B64(TestPublicKeyB64), validFrom: "")).Status);
            Assert.Equal(VectorPinStatus.UnknownKey, v.VerifyJson(SamplePinJson("nobody")).Status);
        }
        using (var v = new Verifier())
        {
            v.LoadRegistry("{\"win\":{\"public_key\":\"" + TestPublicKeyB64 + "\",\"valid_from\":null,\"valid_until\":null},"
                           + "\"pem\":{\"public_key\":" + System.Text.Json.JsonSerializer.Serialize(PublicKeys.ToPem(B64(TestPublicKeyB64)))
                           + ",\"valid_from\":\"2020-01-01T00:00:00Z\",\"valid_until\":null}}");
            Assert.Equal(2, v.KeyCount);
            Assert.True(v.VerifyJson(Encoding.UTF8.GetBytes(json)).IsValid);
            Assert.True(v.VerifyJson(SamplePinJson("pem")).IsValid);
        }

        using var signer = TestSigner("legacy");
        using var options = new PinOptions().SetProtocol(1);
        using var v1 = signer.CreatePin("s", "m", SampleVector, options);
        using var verifier = TestVerifier("legacy");
        Assert.Equal(VectorPinStatus.UnsupportedVersion, verifier.Verify(v1).Status);
        verifier.AllowLegacyV1();
        Assert.True(verifier.Verify(v1, SampleVector, "s").IsValid);
        verifier.AllowLegacyV1(false);
        Assert.Equal(VectorPinStatus.UnsupportedVersion, verifier.Verify(v1).Status);
    }

    [Fact]
    public void Tampering_any_signed_field_breaks_the_signature()
    {
        string good = SamplePinJson();
        using var verifier = TestVerifier();
        foreach (var (from, to) in new[] { ("\"model\":\"m\"", "\"model\":\"n\""), ("\"vec_dim\":4", "\"vec_dim\":5"),
                                           ("2026-05-05T12:00:00Z", "2026-05-05T12:00:01Z") })
        {
            Assert.Contains(from, good);
            Assert.Equal(VectorPinStatus.SignatureInvalid, verifier.VerifyJson(good.Replace(from, to)).Status);
        }
        // Whitespace and key order are not signed: a re-formatted pin still verifies.
        using var pin = Pin.Parse(good);
        string reordered = "{ \"v\" : 2 ,\n" + good[1..].Replace(",\"v\":2", "");
        Assert.True(verifier.VerifyJson(reordered).IsValid);
    }
}
