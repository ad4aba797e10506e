using System;
using System.Formats.Asn1;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Xunit;
using Xunit.Abstractions;
using static VectorPin.Tests.Support;
using DotNetBase64Url = System.Buffers.Text.Base64Url;

namespace VectorPin.Tests;

/// <summary>
/// The library's primitives checked against .NET's own implementations.
/// </summary>
/// <remarks>
/// .NET 10 has no Ed25519 (System.Security.Cryptography offers RSA, ECDSA
/// over NIST curves, ML-DSA and others, but not EdDSA), and this project
/// adds no third-party crypto package. Signatures are therefore checked
/// against an independent implementation another way: the upstream fixture
/// files hold signatures made by upstream's Ed25519 (Python), and
/// <see cref="Signatures_equal_those_of_an_independent_Ed25519"/> requires
/// ours to equal them byte for byte over the same signed bytes (Ed25519 is
/// deterministic).
/// </remarks>
public sealed class OracleTests
{
    private readonly ITestOutputHelper _output;

    public OracleTests(ITestOutputHelper output) => _output = output;

    private static string DotNetHashText(string text)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(text.Normalize(NormalizationForm.FormC)));
        return "sha256:" + Convert.ToHexStringLower(digest);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("")]
    [InlineData("line one\r\nline two\n")]
    [InlineData("cafe\u0301")]                       // NFD: e + combining acute
    [InlineData("\u1100\u1161\u11A8")]                // Hangul jamo, composes to one syllable
    [InlineData("A\u030A\u0323 \u212B \u2126")]       // reordering and singletons
    [InlineData("emoji \U0001F600 and \U0001D11E")]   // astral characters (surrogate pairs)
    [InlineData("\U0002F800 CJK compatibility")]      // astral singleton decomposition
    public void HashText_equals_dotnet_Sha256_of_dotnet_NFC(string text)
    {
        Assert.Equal(DotNetHashText(text), Hashing.HashText(text));
        Assert.Equal(DotNetHashText(text), Hashing.HashText(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void NFD_and_NFC_inputs_hash_alike()
    {
        Assert.Equal(Hashing.HashText("caf\u00e9"), Hashing.HashText("cafe\u0301"));
        Assert.NotEqual(Hashing.HashText("cafe"), Hashing.HashText("cafe\u0301"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(1 << 20)]
    public void Sha256_equals_dotnet_Sha256(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Assert.Equal(SHA256.HashData(data), Hashing.Sha256(data));
    }

    [Fact]
    public void HashVector_equals_dotnet_Sha256_of_little_endian_elements()
    {
        float[] v32 = { 0.25f, -0.5f, 1.0f, -0.0f, float.Epsilon, float.MaxValue };
        byte[] bytes32 = v32.SelectMany(f => BitConverter.GetBytes(f)).ToArray();
        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes32)), Hashing.HashVector(v32));

        double[] v64 = { 0.1, -2.5e300, 0.0, double.Epsilon };
        byte[] bytes64 = v64.SelectMany(d => BitConverter.GetBytes(d)).ToArray();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes64)), Hashing.HashVector(v64));

        // f64 hashed as f32: each element rounded by .NET's own cast.
        double[] narrow = { 0.1, 1.0 / 3.0, -7.25 };
        byte[] cast = narrow.SelectMany(d => BitConverter.GetBytes((float)d)).ToArray();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(cast)), Hashing.HashVector(narrow, VectorDType.F32));
    }

    [Fact]
    public void Base64Url_equals_dotnet_Base64Url()
    {
        var rng = new Random(7);
        for (int n = 0; n < 80; n++)
        {
            var data = new byte[n];
            rng.NextBytes(data);
            string ours = Base64Url.Encode(data);
            Assert.Equal(DotNetBase64Url.EncodeToString(data), ours);
            Assert.Equal(data, Base64Url.Decode(ours));
        }
    }

    [Fact]
    public void Fingerprint_is_the_first_16_hex_digits_of_dotnet_Sha256()
    {
        using var signer = TestSigner();
        string hex = Convert.ToHexStringLower(SHA256.HashData(signer.PublicKey))[..16];
        string expected = string.Join(":", Enumerable.Range(0, 4).Select(i => hex.Substring(4 * i, 4)));
        Assert.Equal(expected, signer.Fingerprint);
        Assert.Equal(expected, PublicKeys.Fingerprint(signer.PublicKey));
        Assert.Equal("5647:5aa7:5463:474c", PublicKeys.Fingerprint(B64(TestPublicKeyB64)));
    }

    [Fact]
    public void Public_key_PEM_is_an_RFC8410_SubjectPublicKeyInfo_per_dotnet_ASN1()
    {
        using var signer = TestSigner();
        string pem = signer.PublicKeyPem;
        var fields = PemEncoding.Find(pem);
        Assert.Equal("PUBLIC KEY", pem[fields.Label]);
        byte[] der = Convert.FromBase64String(pem[fields.Base64Data]);
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var spki = reader.ReadSequence();
        var algorithm = spki.ReadSequence();
        Assert.Equal("1.3.101.112", algorithm.ReadObjectIdentifier()); // id-Ed25519
        Assert.False(algorithm.HasData);                              // no parameters
        byte[] key = spki.ReadBitString(out int unused);
        Assert.Equal(0, unused);
        Assert.Equal(signer.PublicKey, key);
        Assert.False(spki.HasData);
        Assert.False(reader.HasData);
        Assert.Equal(signer.PublicKey, PublicKeys.Decode(pem));
    }

    [Fact]
    public void Private_key_PEM_is_an_RFC8410_PKCS8_per_dotnet_ASN1()
    {
        string dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectorpin-cs-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var signer = TestSigner("pem-key")) signer.Save(dir, KeyFileFormat.Pem);
            string pem = System.IO.File.ReadAllText(System.IO.Path.Combine(dir, "pem-key.priv"));
            var fields = PemEncoding.Find(pem);
            Assert.Equal("PRIVATE KEY", pem[fields.Label]);
            var reader = new AsnReader(Convert.FromBase64String(pem[fields.Base64Data]), AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            Assert.True(info.ReadInteger().IsZero);
            var algorithm = info.ReadSequence();
            Assert.Equal("1.3.101.112", algorithm.ReadObjectIdentifier());
            var inner = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER);
            Assert.Equal(TestSeed, inner.ReadOctetString()); // CurvePrivateKey: the seed
        }
        finally
        {
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Signatures_equal_those_of_an_independent_Ed25519()
    {
        _output.WriteLine("host Ed25519 oracle: not available (.NET 10 has no Ed25519 API); "
                          + "checked against upstream's Ed25519 signatures instead");
        int checkedCount = 0;
        foreach (string file in new[] { "upstream/v2.json", "upstream/v1.json" })
        {
            using var doc = LoadJson(file);
            foreach (var f in doc.RootElement.GetProperty("fixtures").EnumerateArray())
            {
                string pinJson = f.Has("pin_json") ? f.Str("pin_json")! : f.GetProperty("expected").Str("pin_json")!;
                using var theirs = Pin.Parse(pinJson);
                // Re-sign exactly the bytes their signature covers.
                var input = f.GetProperty("input");
                using var signer = Signer.FromSeed(theirs.KeyId, TestSeed);
                using var options = new PinOptions().SetProtocol(theirs.Version).SetTimestamp(theirs.Timestamp);
                if (theirs.ModelHash is not null) options.SetModelHash(theirs.ModelHash);
                foreach (var e in theirs.Extra) options.SetExtra(e.Key, e.Value);
                byte[] raw = B64(input.Str("vec_b64") ?? input.Str("vector_b64")!);
                using var ours = theirs.VectorDType == VectorDType.F32
                    ? signer.CreatePin(input.Str("source")!, theirs.Model, F32(raw), options)
                    : signer.CreatePin(input.Str("source")!, theirs.Model, F64(raw), options);
                Assert.Equal(theirs.SignedBytes(), ours.SignedBytes());
                Assert.Equal(theirs.Signature, ours.Signature);
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 8, $"only {checkedCount} upstream signatures compared");
    }
}
