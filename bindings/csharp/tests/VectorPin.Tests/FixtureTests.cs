using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>Every case of every fixture file, through the binding's API only.</summary>
public sealed class FixtureTests
{
    private readonly ITestOutputHelper _output;

    public FixtureTests(ITestOutputHelper output) => _output = output;

    // ---- upstream schemas ---------------------------------------------------------

    [Theory]
    [InlineData("upstream/v1.json")]
    [InlineData("v1.json")]
    public void V1_fixtures_sign_byte_for_byte_and_verify_only_with_legacy(string file)
    {
        using var doc = LoadJson(file);
        var root = doc.RootElement;
        string kid = root.Str("key_id")!;
        byte[] seed = B64(root.Str("private_seed_b64")!);
        byte[] publicKey = B64(root.Str("public_key_b64")!);
        using var signer = Signer.FromSeed(kid, seed);
        Assert.Equal(publicKey, signer.PublicKey);
        using var legacy = new Verifier();
        legacy.AddKey(kid, publicKey);
        legacy.AllowLegacyV1();
        using var strict = new Verifier();
        strict.AddKey(kid, publicKey);

        var log = new CaseLog();
        foreach (var f in root.GetProperty("fixtures").EnumerateArray())
        {
            log.Case(f.Str("name")!, () =>
            {
                var input = f.GetProperty("input");
                var expected = f.GetProperty("expected");
                string source = input.Str("source")!, model = input.Str("model")!;
                string dtype = input.Str("vec_dtype")!;
                byte[] raw = B64(input.Str("vector_b64")!);
                using var options = new PinOptions().SetProtocol(1).SetTimestamp(input.Str("timestamp")!);
                string pinJson = expected.Str("pin_json")!;
                if (dtype == "f32")
                {
                    float[] v = F32(raw);
                    using var pin = signer.CreatePin(source, model, v, options);
                    CheckSigned(pin, pinJson, expected.Str("canonical_header_b64")!);
                    Same(expected.Str("vec_hash"), Hashing.HashVector(v, VectorDType.F32), "hash_vector");
                    Same("OK", legacy.VerifyJson(pinJson, v, source).StatusName, "legacy verify");
                    Same("UNSUPPORTED_VERSION", strict.VerifyJson(pinJson, v, source).StatusName, "strict verify");
                }
                else
                {
                    double[] v = F64(raw);
                    using var pin = signer.CreatePin(source, model, v, options);
                    CheckSigned(pin, pinJson, expected.Str("canonical_header_b64")!);
                    Same(expected.Str("vec_hash"), Hashing.HashVector(v, VectorDType.F64), "hash_vector");
                    Same("OK", legacy.VerifyJson(pinJson, v, source).StatusName, "legacy verify");
                    Same("UNSUPPORTED_VERSION", strict.VerifyJson(pinJson, v, source).StatusName, "strict verify");
                }
                Same(expected.Str("source_hash"), Hashing.HashText(source), "hash_text");
                using var parsed = Pin.Parse(pinJson);
                Same(1, parsed.Version, "v");
                Same(input.GetProperty("vec_dim").GetInt32(), parsed.VectorDimension, "vec_dim");
                Same(expected.Str("vec_hash"), parsed.VectorHash, "vec_hash field");
                Same(expected.Str("source_hash"), parsed.SourceHash, "source_hash field");
            });
        }
        log.AssertAllPassed(_output, file);
    }

    private static void CheckSigned(Pin pin, string expectedJson, string expectedSignedB64)
    {
        Same(expectedJson, pin.ToJson(), "pin JSON");
        Same(expectedSignedB64, Base64Url.Encode(pin.SignedBytes()), "signed bytes");
    }

    [Theory]
    [InlineData("upstream/negative_v1.json")]
    [InlineData("negative_v1.json")]
    public void Negative_v1_tampered_vector_is_caught(string file)
    {
        using var doc = LoadJson(file);
        var c = doc.RootElement;
        var log = new CaseLog();
        log.Case(c.Str("name")!, () =>
        {
            string pinJson = c.Str("pin_json")!;
            using var pin = Pin.Parse(pinJson);
            using var verifier = new Verifier();
            verifier.AddKey(pin.KeyId, B64(TestPublicKeyB64));
            verifier.AllowLegacyV1();
            float[] tampered = F32(B64(c.Str("tampered_vector_b64")!));
            var result = verifier.Verify(pin, tampered);
            Same(c.Str("expected_error")!.ToUpperInvariant(), result.StatusName, "status");
            Same(VectorPinStatus.VectorTampered, result.Status, "enum");
        });
        log.AssertAllPassed(_output, file);
    }

    [Theory]
    [InlineData("upstream/v2.json")]
    [InlineData("v2.json")]
    public void V2_fixtures_sign_byte_for_byte_and_verify(string file)
    {
        using var doc = LoadJson(file);
        var root = doc.RootElement;
        string kid = root.Str("key_id")!;
        byte[] domainTag = B64(root.Str("domain_tag_b64")!);
        Assert.Equal(Encoding.ASCII.GetBytes("vectorpin/v2\0"), domainTag);
        using var signer = Signer.FromPrivateKey(kid, B64(root.Str("private_key_b64")!));
        using var verifier = new Verifier();
        verifier.AddKey(kid, root.Str("public_key_b64")!);

        var log = new CaseLog();
        foreach (var f in root.GetProperty("fixtures").EnumerateArray())
        {
            log.Case(f.Str("name")!, () =>
            {
                var input = f.GetProperty("input");
                string source = input.Str("source")!, model = input.Str("model")!;
                using var options = new PinOptions().SetProtocol(2).SetTimestamp(input.Str("timestamp")!);
                if (input.Has("model_hash")) options.SetModelHash(input.Str("model_hash")!);
                var extra = input.Has("extra")
                    ? input.GetProperty("extra").EnumerateObject().Select(p => (p.Name, Value: p.Value.GetString()!)).ToList()
                    : new();
                foreach (var (k, val) in extra) options.SetExtra(k, val);
                using var expect = new Expectations();
                var recordId = extra.FirstOrDefault(e => e.Name == ReservedExtraKeys.RecordId).Value;
                if (recordId is not null) expect.SetRecordId(recordId);

                string pinJson = f.Str("pin_json")!;
                byte[] raw = B64(input.Str("vec_b64")!);
                Pin pin;
                VerificationResult result;
                if (input.Str("vec_dtype") == "f32")
                {
                    float[] v = F32(raw);
                    pin = signer.CreatePin(source, model, v, options);
                    Same(f.Str("expected_vec_hash"), Hashing.HashVector(v), "hash_vector");
                    result = verifier.VerifyJson(pinJson, v, source, expect);
                }
                else
                {
                    double[] v = F64(raw);
                    pin = signer.CreatePin(source, model, v, options);
                    Same(f.Str("expected_vec_hash"), Hashing.HashVector(v), "hash_vector");
                    result = verifier.VerifyJson(pinJson, v, source, expect);
                }
                using (pin)
                {
                    CheckSigned(pin, pinJson, f.Str("expected_canonical_bytes_b64")!);
                    Assert.True(pin.SignedBytes().AsSpan().StartsWith(domainTag));
                    Same(2, pin.Version, "v");
                    Same(input.GetProperty("vec_dim").GetInt32(), pin.VectorDimension, "vec_dim");
                    Same(input.Str("vec_dtype"), pin.VectorDTypeName, "vec_dtype");
                    Same(input.Str("model_hash"), pin.ModelHash, "model_hash");
                    Same(string.Join(",", extra.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => e.Name + "=" + e.Value)),
                         string.Join(",", pin.Extra.Select(e => e.Key + "=" + e.Value)), "extra");
                }
                Same("OK", result.StatusName, "verify");
                Same(f.Str("expected_source_hash"), Hashing.HashText(source), "hash_text");
            });
        }
        log.AssertAllPassed(_output, file);
    }

    [Theory]
    [InlineData("upstream/negative_v2.json")]
    [InlineData("negative_v2.json")]
    public void Negative_v2_fixtures_fail_with_the_named_status(string file)
    {
        using var doc = LoadJson(file);
        var root = doc.RootElement;
        using var verifier = new Verifier();
        // The registry of these files is {key_id: public_key_b64}.
        verifier.LoadRegistry(JsonSerializer.Serialize(new System.Collections.Generic.Dictionary<string, object>
        {
            [root.Str("key_id")!] = new { public_key = root.Str("public_key_b64"), valid_from = (string?)null, valid_until = (string?)null },
        }));
        Assert.Equal(1, verifier.KeyCount);

        var log = new CaseLog();
        foreach (var f in root.GetProperty("fixtures").EnumerateArray())
        {
            log.Case(f.Str("name")!, () =>
            {
                string pinJson = f.Str("pin_json")!;
                using var expect = new Expectations();
                if (f.Has("expected_model")) expect.SetModel(f.Str("expected_model")!);
                if (f.Has("expected_record_id")) expect.SetRecordId(f.Str("expected_record_id")!);
                SourceText source = f.Str("tampered_source");
                string? vecB64 = f.Str("tampered_vec_b64") ?? f.Str("nan_vec_b64");
                VerificationResult result;
                if (vecB64 is null)
                    result = verifier.VerifyJson(pinJson, source, expect);
                else if (f.Str("vec_dtype") == "f64")
                    result = verifier.VerifyJson(pinJson, F64(B64(vecB64)), source, expect);
                else
                    result = verifier.VerifyJson(pinJson, F32(B64(vecB64)), source, expect);
                Same(f.Str("expected_failure"), result.StatusName, "status");
                Same(StatusNamed(f.Str("expected_failure")!), result.Status, "enum");
                Assert.False(string.IsNullOrEmpty(result.Detail));
            });
        }
        log.AssertAllPassed(_output, file);
    }

    // ---- extended.json ---------------------------------------------------------------

    [Fact]
    public void Extended_verify_cases()
    {
        using var doc = LoadJson("extended.json");
        var log = new CaseLog();
        foreach (var c in doc.RootElement.GetProperty("verify_cases").EnumerateArray())
        {
            log.Case(c.Str("name")!, () =>
            {
                using var verifier = new Verifier();
                foreach (var k in c.GetProperty("keys").EnumerateArray())
                    verifier.AddKey(k.Str("kid")!, B64(k.Str("public_key_b64")!), k.Str("valid_from"), k.Str("valid_until"));
                if (c.TryGetProperty("legacy_v1", out var legacy) && legacy.GetBoolean())
                    verifier.AllowLegacyV1();
                byte[] pinBytes = c.Has("pin_json_b64") ? B64(c.Str("pin_json_b64")!) : Encoding.UTF8.GetBytes(c.Str("pin_json")!);
                byte[]? sourceBytes = c.Has("source_b64") ? B64(c.Str("source_b64")!)
                                    : c.Has("source") ? Encoding.UTF8.GetBytes(c.Str("source")!) : null;
                using var expect = new Expectations();
                if (c.Has("expected_model")) expect.SetModel(c.Str("expected_model")!);
                if (c.Has("expected_record_id")) expect.SetRecordId(c.Str("expected_record_id")!);
                if (c.Has("expected_collection_id")) expect.SetCollectionId(c.Str("expected_collection_id")!);
                if (c.Has("expected_tenant_id")) expect.SetTenantId(c.Str("expected_tenant_id")!);
                string expected = c.Str("expected")!;

                SourceText Source() => sourceBytes is null ? SourceText.None : SourceText.FromUtf8(sourceBytes);
                float[]? f32 = null;
                double[]? f64 = null;
                if (c.Has("vector_b64"))
                {
                    byte[] raw = B64(c.Str("vector_b64")!);
                    if (c.Str("vector_dtype") == "f64") f64 = F64(raw); else f32 = F32(raw);
                }
                VerificationResult ViaJson() =>
                    f32 is not null ? verifier.VerifyJson(pinBytes, f32, Source(), expect)
                    : f64 is not null ? verifier.VerifyJson(pinBytes, f64, Source(), expect)
                    : verifier.VerifyJson(pinBytes, Source(), expect);
                Same(expected, ViaJson().StatusName, "verify_json");

                // The same through a parsed pin: parse failures must be the expected status.
                Pin pin;
                try
                {
                    pin = Pin.Parse(pinBytes);
                }
                catch (VectorPinException e)
                {
                    Same(expected, e.StatusName, "parse");
                    return;
                }
                using (pin)
                {
                    var viaPin = f32 is not null ? verifier.Verify(pin, f32, Source(), expect)
                               : f64 is not null ? verifier.Verify(pin, f64, Source(), expect)
                               : verifier.Verify(pin, Source(), expect);
                    Same(expected, viaPin.StatusName, "verify parsed pin");
                }
            });
        }
        log.AssertAllPassed(_output, "extended.json verify_cases");
    }

    [Fact]
    public void Extended_registry_cases()
    {
        using var doc = LoadJson("extended.json");
        var log = new CaseLog();
        foreach (var c in doc.RootElement.GetProperty("registry_cases").EnumerateArray())
        {
            log.Case(c.Str("name")!, () =>
            {
                using var verifier = new Verifier();
                string status = StatusOf(() =>
                    verifier.AddKey("k", B64(c.Str("public_key_b64")!), c.Str("valid_from"), c.Str("valid_until")));
                Same(c.Str("expected"), status, "add_key");
                Same(status == "OK" ? 1 : 0, verifier.KeyCount, "key count");
            });
        }
        log.AssertAllPassed(_output, "extended.json registry_cases");
    }

    [Fact]
    public void Extended_hash_text_cases()
    {
        using var doc = LoadJson("extended.json");
        var log = new CaseLog();
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var c in doc.RootElement.GetProperty("hash_text_cases").EnumerateArray())
        {
            log.Case(c.Str("name")!, () =>
            {
                byte[] text = B64(c.Str("text_b64")!);
                string? expected = c.Str("expected");
                string? actual = null;
                string status = StatusOf(() => actual = Hashing.HashText(text));
                if (expected is null)
                {
                    Same("INVALID_INPUT", status, "status");
                    return;
                }
                Same(expected, actual, "hash");
                // Valid UTF-8 also hashes the same when it arrives as a .NET string.
                Same(expected, Hashing.HashText(strict.GetString(text)), "hash of string");
            });
        }
        log.AssertAllPassed(_output, "extended.json hash_text_cases");
    }

    [Fact]
    public void Extended_hash_vector_cases()
    {
        using var doc = LoadJson("extended.json");
        var log = new CaseLog();
        foreach (var c in doc.RootElement.GetProperty("hash_vector_cases").EnumerateArray())
        {
            log.Case(c.Str("name")!, () =>
            {
                byte[] raw = B64(c.Str("vector_b64")!);
                VectorDType hashAs = DType(c.Str("hash_dtype")!);
                string? actual = null;
                string status = c.Str("input_dtype") == "f64"
                    ? StatusOf(() => actual = Hashing.HashVector(F64(raw), hashAs))
                    : StatusOf(() => actual = Hashing.HashVector(F32(raw), hashAs));
                string? expected = c.Str("expected");
                if (expected is null)
                    Same("INVALID_INPUT", status, "status");
                else
                    Same(expected, actual, "hash");
            });
        }
        log.AssertAllPassed(_output, "extended.json hash_vector_cases");
    }

    [Fact]
    public void Extended_sign_cases()
    {
        using var doc = LoadJson("extended.json");
        byte[] seed = B64(doc.RootElement.Str("private_seed_b64")!);
        var log = new CaseLog();
        foreach (var c in doc.RootElement.GetProperty("sign_cases").EnumerateArray())
        {
            log.Case(c.Str("name")!, () =>
            {
                string? json = null;
                string status = StatusOf(() =>
                {
                    using var signer = Signer.FromSeed(c.Str("kid")!, seed);
                    using var options = new PinOptions();
                    var o = c.GetProperty("options");
                    if (o.TryGetProperty("protocol", out var protocol)) options.SetProtocol(protocol.GetInt32());
                    if (o.Has("dtype")) options.SetDType(DType(o.Str("dtype")!));
                    if (o.Has("model_hash")) options.SetModelHash(o.Str("model_hash")!);
                    if (o.Has("timestamp")) options.SetTimestamp(o.Str("timestamp")!);
                    if (o.Has("extra"))
                        foreach (var e in o.GetProperty("extra").EnumerateObject())
                            options.SetExtra(e.Name, e.Value.GetString()!);
                    byte[] raw = B64(c.Str("vector_b64")!);
                    using var pin = c.Str("input_dtype") == "f64"
                        ? signer.CreatePin(c.Str("source")!, c.Str("model")!, F64(raw), options)
                        : signer.CreatePin(c.Str("source")!, c.Str("model")!, F32(raw), options);
                    json = pin.ToJson();
                });
                Same(c.Str("expected"), status, "status");
                if (status == "OK")
                    Same(c.Str("pin_json"), json, "pin JSON");
            });
        }
        log.AssertAllPassed(_output, "extended.json sign_cases");
    }
}
