using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using Xunit;
using static VectorPin.Tests.Support;

namespace VectorPin.Tests;

/// <summary>Key files and pins move between the <c>vectorpin</c> CLI and the binding in both directions.</summary>
public sealed class CliKeyFileTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vectorpin-cs-cli-" + Guid.NewGuid().ToString("N"));

    public CliKeyFileTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Stdout, string Stderr) Cli(params string[] args)
    {
        string cli = RequiredEnv("VECTORPIN_CLI", "the vectorpin program (CMake target vectorpin_cli)");
        var psi = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderrTask.Result);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Keys_from_cli_keygen_sign_pins_the_cli_verifies()
    {
        string keys = Path.Combine(_dir, "cli-keys");
        var gen = Cli("keygen", "--key-id", "cli-key", "--output", keys);
        Assert.True(gen.Exit == 0, gen.Stderr);
        string priv = Path.Combine(keys, "cli-key.priv"), pub = Path.Combine(keys, "cli-key.pub");
        Assert.Equal(32, new FileInfo(priv).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(priv));

        using var signer = Signer.LoadFile("cli-key", priv);
        Assert.Equal(File.ReadAllBytes(pub), signer.PublicKey);
        using var gen_json = JsonDocument.Parse(gen.Stdout);
        Assert.Equal(signer.Fingerprint, gen_json.RootElement.GetProperty("fingerprint").GetString());

        double[] vector = { 0.5, -1.25, 3.0 };
        using var pin = signer.CreatePin("café text\n", "model-x", vector, new PinOptions().SetRecordId("r-1"));
        string pinFile = Write("pin.json", pin.ToJson());
        string sourceFile = Write("source.txt", "café text\n");
        string vectorFile = Write("vector.json", "[0.5, -1.25, 3.0]");

        var ok = Cli("verify-pin", "--public-key", pub, "--key-id", "cli-key", "--pin", pinFile,
                     "--source", sourceFile, "--vector", vectorFile, "--record-id", "r-1");
        Assert.True(ok.Exit == 0, ok.Stdout + ok.Stderr);
        using (var doc = JsonDocument.Parse(ok.Stdout)) Assert.True(doc.RootElement.GetProperty("ok").GetBoolean());

        var bad = Cli("verify-pin", "--public-key", pub, "--key-id", "cli-key", "--pin", pinFile,
                      "--source", Write("other.txt", "other text"));
        Assert.Equal(1, bad.Exit);
        using (var doc = JsonDocument.Parse(bad.Stdout))
        {
            Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal("SOURCE_MISMATCH", doc.RootElement.GetProperty("error").GetString());
        }
    }

    [Fact]
    public void Keys_saved_by_the_binding_sign_pins_the_binding_verifies()
    {
        string keys = Path.Combine(_dir, "binding-keys");
        byte[] publicKey;
        using (var signer = Signer.Generate("cs-key"))
        {
            signer.Save(keys);
            publicKey = signer.PublicKey;
        }
        string priv = Path.Combine(keys, "cs-key.priv"), pub = Path.Combine(keys, "cs-key.pub");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(priv));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        Assert.Equal(publicKey, File.ReadAllBytes(pub));

        var fp = Cli("fingerprint", "--public-key", pub);
        Assert.True(fp.Exit == 0, fp.Stderr);
        using (var doc = JsonDocument.Parse(fp.Stdout))
            Assert.Equal(PublicKeys.Fingerprint(publicKey), doc.RootElement.GetProperty("fingerprint").GetString());

        string sourceFile = Write("src.txt", "signed by the CLI");
        string vectorFile = Write("vec.json", "[1.5, 2.5, -0.75, 0]");
        var pinned = Cli("pin", "--private-key", priv, "--key-id", "cs-key", "--model", "m1", "--source", sourceFile,
                         "--vector", vectorFile, "--tenant-id", "t-7");
        Assert.True(pinned.Exit == 0, pinned.Stderr);

        using var verifier = new Verifier();
        verifier.AddKey("cs-key", File.ReadAllBytes(pub));
        using var pin = Pin.Parse(pinned.Stdout.Trim());
        Assert.Equal(VectorDType.F64, pin.VectorDType);
        Assert.True(pin.TryGetExtra(ReservedExtraKeys.TenantId, out string tenant));
        Assert.Equal("t-7", tenant);
        double[] vector = { 1.5, 2.5, -0.75, 0 };
        using var expect = new Expectations().SetTenantId("t-7").SetModel("m1");
        Assert.Equal(VectorPinStatus.Ok, verifier.Verify(pin, vector, "signed by the CLI", expect).Status);
        vector[3] = 1e-9;
        Assert.Equal(VectorPinStatus.VectorTampered, verifier.Verify(pin, vector, "signed by the CLI", expect).Status);
    }

    [Fact]
    public void Pem_key_files_work_both_ways()
    {
        string cliKeys = Path.Combine(_dir, "cli-pem");
        Assert.Equal(0, Cli("keygen", "--key-id", "p1", "--output", cliKeys, "--pem").Exit);
        using var fromCli = Signer.LoadFile("p1", Path.Combine(cliKeys, "p1.priv"));
        Assert.Equal(PublicKeys.Decode(File.ReadAllText(Path.Combine(cliKeys, "p1.pub"))), fromCli.PublicKey);
        using var fromText = Signer.FromPrivateKeyPem("p1", File.ReadAllText(Path.Combine(cliKeys, "p1.priv")));
        Assert.Equal(fromCli.PublicKey, fromText.PublicKey);

        string ourKeys = Path.Combine(_dir, "cs-pem");
        using (var s = TestSigner("p2")) s.Save(ourKeys, KeyFileFormat.Pem);
        string pinFile = Path.Combine(_dir, "p2.pin");
        var pinned = Cli("pin", "--private-key", Path.Combine(ourKeys, "p2.priv"), "--key-id", "p2", "--model", "m",
                         "--source", Write("s.txt", "x"), "--vector", Write("v.json", "[1]"));
        Assert.True(pinned.Exit == 0, pinned.Stderr);
        File.WriteAllText(pinFile, pinned.Stdout);
        var ok = Cli("verify-pin", "--public-key", Path.Combine(ourKeys, "p2.pub"), "--key-id", "p2", "--pin", pinFile);
        Assert.True(ok.Exit == 0, ok.Stdout);
        Assert.Equal(TestPublicKeyB64, Base64Url.Encode(PublicKeys.Decode(File.ReadAllText(Path.Combine(ourKeys, "p2.pub")))));
    }

    [Fact]
    public void Key_files_are_never_overwritten_and_loose_permissions_are_refused()
    {
        string keys = Path.Combine(_dir, "perm");
        using var signer = TestSigner("k");
        signer.Save(keys);
        var again = Assert.Throws<VectorPinException>(() => signer.Save(keys));
        Assert.Equal(VectorPinStatus.FileExists, again.Status);
        Assert.Equal(3, Cli("keygen", "--key-id", "k", "--output", keys).Exit);

        string priv = Path.Combine(keys, "k.priv");
        File.SetUnixFileMode(priv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var refused = Assert.Throws<VectorPinException>(() => Signer.LoadFile("k", priv));
        Assert.Equal(VectorPinStatus.InsecurePermissions, refused.Status);
        Assert.Equal("INSECURE_PERMISSIONS", refused.StatusName);
        using var loaded = Signer.LoadFile("k", priv, allowInsecurePermissions: true);
        Assert.Equal(signer.PublicKey, loaded.PublicKey);

        var missing = Assert.Throws<VectorPinException>(() => Signer.LoadFile("k", Path.Combine(keys, "absent.priv")));
        Assert.Equal(VectorPinStatus.IoError, missing.Status);
        using var evil = Signer.FromSeed("../evil", TestSeed);
        var unsafeKid = Assert.Throws<VectorPinException>(() => evil.Save(keys));
        Assert.Equal(VectorPinStatus.InvalidInput, unsafeKid.Status);
    }
}
