using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using VectorPin;

namespace VectorPin.Interop;

/// <summary>
/// <c>sign OUT_FILE</c> pins every record of crosslang.json with the shared
/// seed; <c>verify IN_FILE...</c> verifies every line written by any
/// language, and that a changed vector is caught.
/// </summary>
internal static class Program
{
    private const string Lang = "csharp";

    private static int Main(string[] args)
    {
        try
        {
            if (args.Length >= 2 && args[0] == "sign") return Sign(args[1]);
            if (args.Length >= 2 && args[0] == "verify") return Verify(args.Skip(1).ToArray());
            if (args.Length == 1 && args[0] == "version")
            {
                Console.WriteLine($"libvectorpin {VectorPinLibrary.Version} (ABI {VectorPinLibrary.AbiVersion}) from {VectorPinLibrary.LoadedFrom}");
                return 0;
            }
            Console.Error.WriteLine("usage: VectorPin.Interop sign OUT_FILE | verify IN_FILE... | version");
            return 2;
        }
        catch (VectorPinLoadException e)
        {
            Console.Error.WriteLine("cannot use libvectorpin: " + e.Message);
            return 3;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Console.Error.WriteLine($"{e.GetType().Name}: {e.Message} (is VECTORPIN_TESTVECTORS set?)");
            return 3;
        }
    }

    private sealed record Record(string Name, string Source, string Model, string VectorB64, string DType,
                                 List<KeyValuePair<string, string>> Extra);

    private static (byte[] Seed, List<Record> Records) LoadRecords()
    {
        string dir = Environment.GetEnvironmentVariable("VECTORPIN_TESTVECTORS") ?? "testvectors";
        string path = Path.Combine(dir, "crosslang.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        var records = new List<Record>();
        foreach (var r in root.GetProperty("records").EnumerateArray())
        {
            var extra = r.GetProperty("extra").EnumerateObject()
                .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
            records.Add(new Record(r.GetProperty("name").GetString()!, r.GetProperty("source").GetString()!,
                                   r.GetProperty("model").GetString()!, r.GetProperty("vector_b64").GetString()!,
                                   r.GetProperty("dtype").GetString()!, extra));
        }
        return (Base64Url.Decode(root.GetProperty("seed_b64").GetString()!), records);
    }

    private static float[] F32(byte[] raw)
    {
        var v = new float[raw.Length / 4];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(4 * i));
        return v;
    }

    private static double[] F64(byte[] raw)
    {
        var v = new double[raw.Length / 8];
        for (int i = 0; i < v.Length; i++) v[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(8 * i));
        return v;
    }

    private static int Sign(string outPath)
    {
        var (seed, records) = LoadRecords();
        const string kid = "crosslang-" + Lang;
        using var signer = Signer.FromSeed(kid, seed);
        Array.Clear(seed);
        string publicKey = signer.PublicKeyBase64Url;
        var jsonOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var output = File.Create(outPath);
        int written = 0;
        foreach (var r in records)
        {
            using var options = new PinOptions();
            foreach (var (k, v) in r.Extra) options.SetExtra(k, v);
            byte[] raw = Base64Url.Decode(r.VectorB64);
            using Pin pin = r.DType == "f32"
                ? signer.CreatePin(r.Source, r.Model, F32(raw), options)
                : signer.CreatePin(r.Source, r.Model, F64(raw), options);
            using (var w = new Utf8JsonWriter(output, jsonOptions))
            {
                w.WriteStartObject();
                w.WriteString("lang", Lang);
                w.WriteString("kid", kid);
                w.WriteString("public_key_b64", publicKey);
                w.WriteString("name", r.Name);
                w.WriteString("pin_json", pin.ToJson());
                w.WriteEndObject();
            }
            output.WriteByte((byte)'\n');
            written++;
        }
        Console.WriteLine($"signed {written} records");
        return written > 0 ? 0 : 1;
    }

    private static int Verify(string[] files)
    {
        var (_, records) = LoadRecords();
        int passed = 0, failed = 0;
        foreach (string path in files)
        {
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"cannot open {path}");
                failed++;
                continue;
            }
            foreach (string line in File.ReadLines(path))
            {
                if (line.Length == 0) continue;
                string label = "?";
                string? why;
                try
                {
                    using var item = JsonDocument.Parse(line);
                    var it = item.RootElement;
                    string name = it.GetProperty("name").GetString()!;
                    label = it.GetProperty("lang").GetString() + "/" + name;
                    var rec = records.FirstOrDefault(r => r.Name == name);
                    why = rec is null ? "unknown record" : Check(it, rec);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or VectorPinException)
                {
                    why = e.GetType().Name + ": " + e.Message;
                }
                if (why is null)
                {
                    passed++;
                }
                else
                {
                    failed++;
                    Console.Error.WriteLine($"FAIL {Clip(label)}: {Clip(why)}");
                }
            }
        }
        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    // The files are input from elsewhere: a report quotes only a bounded,
    // printable part of what they say.
    private static string Clip(string text)
    {
        var chars = text.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray();
        return new string(chars) + (text.Length > 120 ? "..." : "");
    }

    // Null when the line verifies and its tampered copy is caught; else why not.
    private static string? Check(JsonElement item, Record rec)
    {
        using var verifier = new Verifier();
        verifier.AddKey(item.GetProperty("kid").GetString()!, Base64Url.Decode(item.GetProperty("public_key_b64").GetString()!));
        using var expect = new Expectations();
        expect.SetRecordId(rec.Extra.First(e => e.Key == ReservedExtraKeys.RecordId).Value);
        string pinJson = item.GetProperty("pin_json").GetString()!;
        byte[] raw = Base64Url.Decode(rec.VectorB64);
        VerificationResult good, tampered;
        if (rec.DType == "f32")
        {
            float[] v = F32(raw);
            good = verifier.VerifyJson(pinJson, v, rec.Source, expect);
            v[0] += 0.5f;
            tampered = verifier.VerifyJson(pinJson, v, rec.Source, expect);
        }
        else
        {
            double[] v = F64(raw);
            good = verifier.VerifyJson(pinJson, v, rec.Source, expect);
            v[0] += 0.5;
            tampered = verifier.VerifyJson(pinJson, v, rec.Source, expect);
        }
        if (!good.IsValid) return good.ToString();
        if (tampered.Status != VectorPinStatus.VectorTampered) return "tampered vector gave " + tampered.StatusName;
        return null;
    }
}
