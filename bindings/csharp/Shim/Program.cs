using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using VectorPin;

namespace VectorPin.Shim;

/// <summary>
/// The C# binding's conformance shim: answers the JSON-lines requests of
/// <c>vectorpin conformance</c> (docs/CONFORMANCE.md) through the public API.
/// <c>version</c> as the only argument prints the loaded library instead
/// (the binding's load tests use it).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            if (args.Length == 1 && args[0] == "version")
            {
                Console.WriteLine($"libvectorpin {VectorPinLibrary.Version} (ABI {VectorPinLibrary.AbiVersion}) from {VectorPinLibrary.LoadedFrom}");
                return 0;
            }
            _ = VectorPinLibrary.Version;  // a library that cannot be used ends the shim before the handshake
        }
        catch (VectorPinLoadException e)
        {
            Console.Error.WriteLine("cannot use libvectorpin: " + e.Message);
            return 3;
        }
        using var stdout = Console.OpenStandardOutput();
        var reader = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                JsonElement id = default;
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    var request = doc.RootElement;
                    id = request.GetProperty("id").Clone();
                    string op = request.GetProperty("op").GetString()!;
                    var input = request.TryGetProperty("input", out var i) ? i : default;
                    Answer(w, op, input);
                }
                catch (VectorPinException e)
                {
                    w.WriteString("status", e.StatusName);
                    w.WriteString("detail", e.Detail);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    w.WriteString("status", "BAD_REQUEST");
                    w.WriteString("detail", e.Message);
                }
                w.WritePropertyName("id");
                if (id.ValueKind == JsonValueKind.Undefined) w.WriteNullValue();
                else id.WriteTo(w);
                w.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            buffer.Position = 0;
            buffer.CopyTo(stdout);
            stdout.Flush();
        }
        return 0;
    }

    private static void Answer(Utf8JsonWriter w, string op, JsonElement input)
    {
        switch (op)
        {
            case "hello":
                Ok(w);
                w.WriteNumber("protocol", 1);
                w.WriteString("name", "csharp");
                w.WriteString("implementation", $"C# binding on libvectorpin {VectorPinLibrary.Version}");
                return;
            case "hash_text":
                string text = Hashing.HashText(Bytes(input, "text_b64"));
                Ok(w);
                w.WriteString("hash", text);
                return;
            case "hash_vector":
            {
                var as_ = DType(input.GetProperty("hash_dtype").GetString());
                var (f32, f64) = Vector(input.GetProperty("vector"));
                string hash = f64 is null ? Hashing.HashVector(f32, as_) : Hashing.HashVector(f64, as_);
                Ok(w);
                w.WriteString("hash", hash);
                return;
            }
            case "parse":
            {
                using Pin pin = Pin.Parse(Bytes(input, "pin_b64"));
                byte[] signedBytes = pin.SignedBytes();
                byte[] written = pin.ToJsonUtf8();
                Ok(w);
                w.WriteString("signed_bytes_b64", Base64Url.Encode(signedBytes));
                w.WriteString("pin_b64", Base64Url.Encode(written));
                return;
            }
            case "sign":
                Sign(w, input);
                return;
            case "verify":
                Verify(w, input);
                return;
            case "add_key":
            {
                using var verifier = new Verifier();
                AddKey(verifier, input);
                Ok(w);
                return;
            }
            case "fingerprint":
                string fingerprint = PublicKeys.Fingerprint(Bytes(input, "public_key_b64"));
                Ok(w);
                w.WriteString("fingerprint", fingerprint);
                return;
            default:
                w.WriteString("status", "unsupported");
                return;
        }
    }

    private static void Sign(Utf8JsonWriter w, JsonElement input)
    {
        using var options = new PinOptions();
        if (input.TryGetProperty("protocol", out var protocol)) options.SetProtocol(protocol.GetInt32());
        if (input.TryGetProperty("dtype", out var dtype)) options.SetDType(DType(dtype.GetString()));
        if (input.TryGetProperty("model_hash", out var modelHash)) options.SetModelHash(modelHash.GetString()!);
        if (input.TryGetProperty("timestamp", out var ts)) options.SetTimestamp(ts.GetString()!);
        if (input.TryGetProperty("extra", out var extra))
            foreach (var e in extra.EnumerateObject()) options.SetExtra(e.Name, e.Value.GetString()!);
        using var signer = Signer.FromSeed(input.GetProperty("kid").GetString()!, Bytes(input, "seed_b64"));
        byte[] source = Bytes(input, "source_b64");
        string model = input.GetProperty("model").GetString()!;
        var (f32, f64) = Vector(input.GetProperty("vector"));
        using Pin pin = f64 is null
            ? signer.CreatePin(SourceText.FromUtf8(source), model, f32, options)
            : signer.CreatePin(SourceText.FromUtf8(source), model, f64, options);
        byte[] written = pin.ToJsonUtf8();
        Ok(w);
        w.WriteString("pin_b64", Base64Url.Encode(written));
    }

    private static void Verify(Utf8JsonWriter w, JsonElement input)
    {
        using var verifier = new Verifier();
        foreach (var k in input.GetProperty("keys").EnumerateArray()) AddKey(verifier, k);
        verifier.AllowLegacyV1(input.TryGetProperty("legacy_v1", out var legacy) && legacy.GetBoolean());
        using var expect = new Expectations();
        if (input.TryGetProperty("expect_model", out var m)) expect.SetModel(m.GetString()!);
        if (input.TryGetProperty("expect_record_id", out var r)) expect.SetRecordId(r.GetString()!);
        if (input.TryGetProperty("expect_collection_id", out var c)) expect.SetCollectionId(c.GetString()!);
        if (input.TryGetProperty("expect_tenant_id", out var t)) expect.SetTenantId(t.GetString()!);
        byte[] pin = Bytes(input, "pin_b64");
        byte[]? source = input.TryGetProperty("source_b64", out var s) ? Base64Url.Decode(s.GetString()!) : null;
        SourceText text = source is null ? SourceText.None : SourceText.FromUtf8(source);
        VerificationResult result;
        if (input.TryGetProperty("vector", out var v))
        {
            var (f32, f64) = Vector(v);
            result = f64 is null ? verifier.VerifyJson(pin, f32, text, expect) : verifier.VerifyJson(pin, f64, text, expect);
        }
        else
        {
            result = verifier.VerifyJson(pin, text, expect);
        }
        w.WriteString("status", result.IsValid ? "OK" : result.StatusName);
        if (!result.IsValid) w.WriteString("detail", result.Detail);
    }

    private static void AddKey(Verifier verifier, JsonElement key)
    {
        string? from = key.TryGetProperty("valid_from", out var f) ? f.GetString() : null;
        string? until = key.TryGetProperty("valid_until", out var u) ? u.GetString() : null;
        verifier.AddKey(key.GetProperty("kid").GetString()!, Bytes(key, "public_key_b64"), from, until);
    }

    private static void Ok(Utf8JsonWriter w) => w.WriteString("status", "OK");

    private static byte[] Bytes(JsonElement o, string name) => Base64Url.Decode(o.GetProperty(name).GetString()!);

    private static VectorDType DType(string? name) => name == "f64" ? VectorDType.F64 : VectorDType.F32;

    /// <summary>Little-endian packed elements; exactly one result is not null.</summary>
    private static (float[]? F32, double[]? F64) Vector(JsonElement v)
    {
        byte[] raw = Bytes(v, "data_b64");
        if (v.GetProperty("dtype").GetString() == "f64")
        {
            var d = new double[raw.Length / 8];
            for (int i = 0; i < d.Length; i++) d[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * i));
            return (null, d);
        }
        var f = new float[raw.Length / 4];
        for (int i = 0; i < f.Length; i++) f[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
        return (f, null);
    }
}
