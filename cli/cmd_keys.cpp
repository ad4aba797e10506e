// `keygen` and `fingerprint`.
#include <iostream>

#include "cli.hpp"
#include "json_emit.hpp"

namespace cli {

int cmd_keygen(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"key-id", true, false}, {"output", true, false}, {"pem", false, false}});
  std::string kid = a.require("key-id");
  std::string dir = a.require("output");
  SignerHandle signer;
  vectorpin_error err;
  vectorpin_status st = vectorpin_signer_generate(&signer.p, kid.data(), kid.size(), &err);
  if (st == VECTORPIN_INVALID_INPUT) usage_error(std::string("--key-id: ") + err.message);
  check(st, err, "generating a key");
  st = vectorpin_signer_save(signer.p, dir.data(), dir.size(), a.has("pem") ? VECTORPIN_SAVE_PEM : 0u, &err);
  if (st == VECTORPIN_INVALID_INPUT) usage_error(std::string("--key-id: ") + err.message);
  check(st, err, "writing key files");
  const char* nkid;
  size_t nkid_len;
  check(vectorpin_signer_kid(signer.p, &nkid, &nkid_len, &err), err, "key id");
  char fp[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  check(vectorpin_signer_fingerprint(signer.p, fp, sizeof fp, &err), err, "fingerprint");
  std::string stem = dir + "/" + std::string(nkid, nkid_len);
  JsonEmitter j;
  j.begin_object()
      .field("kid", std::string(nkid, nkid_len))
      .field("private_key", stem + ".priv")
      .field("public_key", stem + ".pub")
      .field("format", a.has("pem") ? "pem" : "raw")
      .field("fingerprint", fp)
      .end_object();
  std::cout << j.str() << "\n";
  std::cerr << "wrote " << stem << ".priv (mode 0600) and " << stem << ".pub; fingerprint " << fp << "\n";
  return kExitOk;
}

int cmd_fingerprint(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"public-key", true, false}});
  std::vector<uint8_t> pk = load_public_key_file(a.require("public-key"));
  char fp[VECTORPIN_FINGERPRINT_BUFFER_BYTES];
  vectorpin_error err;
  check(vectorpin_public_key_fingerprint(fp, sizeof fp, pk.data(), pk.size(), &err), err, "fingerprint");
  JsonEmitter j;
  j.begin_object().field("fingerprint", fp).field("public_key_b64", base64url(pk.data(), pk.size())).end_object();
  std::cout << j.str() << "\n";
  return kExitOk;
}

}  // namespace cli
