using System;
using System.Linq;
using System.Text;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>Hostile or malformed input gets its documented status, never a crash.</summary>
public sealed class HostileInputTests
{
    private static readonly string Good = SamplePinJson();

    private static string Mutate(string from, string to)
    {
        Assert.Contains(from, Good);
        return Good.Replace(from, to, StringComparison.Ordinal);
    }

    private static VectorPinStatus VerifyText(string json)
    {
        using var verifier = TestVerifier();
        return verifier.VerifyJson(json, SampleVector, "hello world").Status;
    }

    private static VectorPinStatus VerifyBytes(byte[] json)
    {
        using var verifier = TestVerifier();
        return verifier.VerifyJson(json, SampleVector, "hello world").Status;
    }

    [Fact]
    public void The_unmodified_pin_verifies()
    {
        Assert.Equal(VectorPinStatus.Ok, VerifyText(Good));
    }

    [Fact]
    public void Duplicate_keys_are_parse_errors()
    {
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(Mutate("{\"kid\":", "{\"kid\":\"x\",\"kid\":")));
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(Mutate("\"v\":2,", "\"v\":2,\"v\":2,")));
        var e = Assert.Throws<VectorPinException>(() => Pin.Parse(Mutate("\"v\":2,", "\"v\":2,\"v\":2,")));
        Assert.Equal(VectorPinStatus.ParseError, e.Status);
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("2e0")]
    [InlineData("02")]
    [InlineData("\"2\"")]
    [InlineData("2.")]
    public void Versions_that_are_not_plain_integers_are_parse_errors(string version)
    {
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(Mutate("\"v\":2,", "\"v\":" + version + ",")));
    }

    [Fact]
    public void Other_integer_versions_are_unsupported()
    {
        Assert.Equal(VectorPinStatus.UnsupportedVersion, VerifyText(Mutate("\"v\":2,", "\"v\":3,")));
        Assert.Equal(VectorPinStatus.UnsupportedVersion, VerifyText(Mutate("\"v\":2,", "\"v\":-0,")));
        Assert.Equal(VectorPinStatus.UnsupportedVersion, VerifyText(Mutate("\"v\":2,", "\"v\":99999999999999999999,")));
    }

    [Fact]
    public void Invalid_utf8_bytes_in_the_pin_are_parse_errors()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Mutate("\"model\":\"m\"", "\"model\":\"m#\""));
        int at = Array.IndexOf(bytes, (byte)'#');
        foreach (byte[] bad in new[] { new byte[] { 0xFF }, new byte[] { 0xC0, 0xAF }, new byte[] { 0xED, 0xA0, 0x80 } })
        {
            byte[] pin = bytes[..at].Concat(bad).Concat(bytes[(at + 1)..]).ToArray();
            Assert.Equal(VectorPinStatus.ParseError, VerifyBytes(pin));
        }
    }

    [Fact]
    public void A_lone_surrogate_escape_is_a_parse_error()
    {
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(Mutate("\"model\":\"m\"", "\"model\":\"m\\ud800\"")));
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(Mutate("\"model\":\"m\"", "\"model\":\"\\udc00m\"")));
    }

    [Fact]
    public void A_70KB_pin_is_refused_before_parsing()
    {
        string big = Good[..^1] + new string(' ', 70 * 1024) + "}";
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(big));
        var e = Assert.Throws<VectorPinException>(() => Pin.Parse(big));
        Assert.Equal(VectorPinStatus.ParseError, e.Status);
        string bigField = Mutate("\"model\":\"m\"", "\"model\":\"" + new string('m', 70 * 1024) + "\"");
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(bigField));
    }

    [Fact]
    public void Deep_nesting_is_a_parse_error_not_a_stack_overflow()
    {
        string deep = Mutate("{\"kid\":", "{\"x\":" + new string('[', 30000) + new string(']', 30000) + ",\"kid\":");
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(deep));
        string deepExtra = Mutate("{\"kid\":", "{\"extra\":{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 15000)) + "1" + new string('}', 15001) + ",\"kid\":");
        Assert.Equal(VectorPinStatus.ParseError, VerifyText(deepExtra));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void NaN_and_infinity_are_refused_everywhere(float bad)
    {
        float[] v = { 0.25f, bad, 1.0f, 0.125f };
        using var signer = TestSigner();
        var signing = Assert.Throws<VectorPinException>(() => signer.CreatePin("hello world", "m", v));
        Assert.Equal(VectorPinStatus.InvalidInput, signing.Status);
        var hashing = Assert.Throws<VectorPinException>(() => Hashing.HashVector(v));
        Assert.Equal(VectorPinStatus.InvalidInput, hashing.Status);
        using var verifier = TestVerifier();
        Assert.Equal(VectorPinStatus.ParseError, verifier.VerifyJson(Good, v).Status);
        double[] d = { 0.25, bad, 1.0, 0.125 };
        Assert.Equal(VectorPinStatus.ParseError, verifier.VerifyJson(Good, d).Status);
    }

    [Fact]
    public void A_double_that_overflows_float_is_refused_when_hashed_as_f32()
    {
        double[] v = { 1.0, 1e300 };
        using var signer = TestSigner();
        using var options = new PinOptions().SetDType(VectorDType.F32);
        Assert.Equal(VectorPinStatus.InvalidInput, Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "m", v, options)).Status);
        Assert.Equal(VectorPinStatus.InvalidInput, Assert.Throws<VectorPinException>(() => Hashing.HashVector(v, VectorDType.F32)).Status);
    }

    [Fact]
    public void Wrong_vector_lengths_are_shape_mismatches()
    {
        using var verifier = TestVerifier();
        Assert.Equal(VectorPinStatus.ShapeMismatch, verifier.VerifyJson(Good, SampleVector.AsSpan(0, 3)).Status);
        Assert.Equal(VectorPinStatus.ShapeMismatch, verifier.VerifyJson(Good, SampleVector.Concat(new[] { 0f }).ToArray()).Status);
        // An empty vector is supplied (and wrong), not absent.
        Assert.Equal(VectorPinStatus.ShapeMismatch, verifier.VerifyJson(Good, ReadOnlySpan<float>.Empty).Status);
        Assert.Equal(VectorPinStatus.ShapeMismatch, verifier.VerifyJson(Good, Array.Empty<double>()).Status);
        Assert.Equal(VectorPinStatus.Ok, verifier.VerifyJson(Good).Status);
    }

    [Fact]
    public void Weak_public_keys_are_refused_at_registration()
    {
        byte[] allZero = new byte[32];
        byte[] identity = new byte[32];
        identity[0] = 1;
        using var verifier = new Verifier();
        foreach (byte[] weak in new[] { allZero, identity })
        {
            var e = Assert.Throws<VectorPinException>(() => verifier.AddKey("weak", weak));
            Assert.Equal(VectorPinStatus.InvalidKey, e.Status);
            Assert.Equal(VectorPinStatus.InvalidKey, Assert.Throws<VectorPinException>(() => PublicKeys.Decode(weak)).Status);
            Assert.Equal(VectorPinStatus.InvalidKey,
                Assert.Throws<VectorPinException>(() => Signer.External("weak", weak, (_, _) => true)).Status);
        }
        Assert.Equal(0, verifier.KeyCount);
        Assert.Throws<VectorPinException>(() => verifier.AddKey("short", new byte[31]));
        Assert.Equal(0, verifier.KeyCount);
    }

    [Fact]
    public void Registry_documents_are_all_or_nothing()
    {
        using var verifier = new Verifier();
        string doc = "{\"a\":{\"public_key\":\"" + TestPublicKeyB64 + "\",\"valid_from\":null,\"valid_until\":null},"
                   + "\"b\":{\"public_key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"valid_from\":null,\"valid_until\":null}}";
        Assert.Throws<VectorPinException>(() => verifier.LoadRegistry(doc));
        Assert.Equal(0, verifier.KeyCount);
        Assert.Throws<VectorPinException>(() => verifier.LoadRegistry("{\"a\":{\"public_key\":\"x\"},\"a\":{}}"));
        Assert.Throws<VectorPinException>(() => verifier.LoadRegistry("[" + new string('[', 20000)));
        Assert.Equal(0, verifier.KeyCount);
    }

    [Fact]
    public void Lone_surrogates_in_dotnet_strings_are_refused_not_replaced()
    {
        var hash = Assert.Throws<VectorPinException>(() => Hashing.HashText("a\ud800b"));
        Assert.Equal(VectorPinStatus.InvalidInput, hash.Status);
        Assert.Equal(VectorPinStatus.InvalidInput, Assert.Throws<VectorPinException>(() => Hashing.HashText("\udfff")).Status);
        // U+FFFD is what a lenient encoder would have substituted: it hashes fine.
        Assert.StartsWith("sha256:", Hashing.HashText("a\ufffdb"));

        using var signer = TestSigner();
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("text\ud800", "m", SampleVector)).Status);
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("text", "m\udc00", SampleVector)).Status);

        using var verifier = TestVerifier();
        Assert.Equal(VectorPinStatus.ParseError, verifier.VerifyJson(Good, SampleVector, "hello world\ud800").Status);
        Assert.Equal(VectorPinStatus.ParseError, verifier.VerifyJson(Good.Replace("\"model\":\"m\"", "\"model\":\"m\ud800\"")).Status);
        // A well-formed surrogate pair is an ordinary astral character.
        using var pin = signer.CreatePin("emoji \U0001F600", "m", SampleVector);
        Assert.Equal(VectorPinStatus.Ok, verifier.Verify(pin, SampleVector, "emoji \U0001F600").Status);
    }

    [Fact]
    public void Details_never_echo_long_attacker_text()
    {
        string attacker = new string('A', 5000);
        string json = Mutate("{\"kid\":\"test-kid\"", "{\"kid\":\"" + attacker + "\"");
        using var verifier = TestVerifier();
        var result = verifier.VerifyJson(json);
        Assert.Equal(VectorPinStatus.UnknownKey, result.Status);
        Assert.DoesNotContain(new string('A', 65), result.Detail);
        Assert.True(Encoding.UTF8.GetByteCount(result.Detail) < VectorPinLibrary.ErrorMessageBytes);

        string field = Mutate("{\"kid\":", "{\"" + attacker + "\\n\":1,\"kid\":");
        var parse = verifier.VerifyJson(field);
        Assert.Equal(VectorPinStatus.ParseError, parse.Status);
        Assert.DoesNotContain(new string('A', 65), parse.Detail);
        Assert.DoesNotContain('\n', parse.Detail);
    }

    [Fact]
    public void Signing_refuses_what_a_verifier_would_refuse()
    {
        using var signer = TestSigner();
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "", SampleVector)).Status);
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "bad\u202emodel", SampleVector)).Status);
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "m", ReadOnlySpan<float>.Empty)).Status);
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "m", new float[VectorPinLibrary.MaxVectorDimension + 1])).Status);
        using var max = signer.CreatePin("s", "m", new float[VectorPinLibrary.MaxVectorDimension]);
        Assert.Equal(VectorPinLibrary.MaxVectorDimension, max.VectorDimension);

        using var tooMany = new PinOptions();
        for (int i = 0; i <= VectorPinLibrary.MaxExtraEntries; i++) tooMany.SetExtra("k" + i.ToString("D2"), "v");
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "m", SampleVector, tooMany)).Status);
        using var longValue = new PinOptions().SetExtra("k", new string('v', VectorPinLibrary.MaxExtraValueBytes + 1));
        Assert.Equal(VectorPinStatus.InvalidInput,
            Assert.Throws<VectorPinException>(() => signer.CreatePin("s", "m", SampleVector, longValue)).Status);
    }

    [Fact]
    public void Strict_base64url_decoding()
    {
        foreach (string bad in new[] { "AA==", "A+8", "A/8", "AA AA", "AB", "A" })
            Assert.Equal(VectorPinStatus.InvalidInput, Assert.Throws<VectorPinException>(() => Base64Url.Decode(bad)).Status);
        Assert.Equal(new byte[] { 0 }, Base64Url.Decode("AA"));
        Assert.Empty(Base64Url.Decode(""));
    }
}
