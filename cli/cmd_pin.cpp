// `pin`: sign one (source, vector) pair.
#include <iostream>

#include "cli.hpp"

namespace cli {

int cmd_pin(const std::vector<std::string>& argv) {
  Args a = Args::parse(argv, {{"private-key", true, false},
                              {"key-id", true, false},
                              {"model", true, false},
                              {"source", true, false},
                              {"source-newlines", true, false},
                              {"vector", true, false},
                              {"dtype", true, false},
                              {"model-hash", true, false},
                              {"timestamp", true, false},
                              {"extra", true, true},
                              {"record-id", true, false},
                              {"collection-id", true, false},
                              {"tenant-id", true, false},
                              {"protocol", true, false},
                              {"allow-insecure-key-permissions", false, false}});
  std::string key_path = a.require("private-key");
  std::string kid = a.require("key-id");
  std::string model = a.require("model");
  std::string source_path = a.require("source");
  std::string vector_path = a.require("vector");

  OptionsHandle opts;
  vectorpin_error err;
  check(vectorpin_pin_options_new(&opts.p, &err), err, "options");
  if (auto p = a.get("protocol")) {
    if (*p != "1" && *p != "2") usage_error("--protocol must be 1 or 2");
    check(vectorpin_pin_options_set_protocol(opts.p, *p == "1" ? 1 : 2, &err), err, "--protocol");
  }
  if (auto d = a.get("dtype")) {
    if (*d != "f32" && *d != "f64") usage_error("--dtype must be f32 or f64");
    check(vectorpin_pin_options_set_dtype(opts.p, *d == "f32" ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64, &err), err,
          "--dtype");
  }
  if (auto h = a.get("model-hash"))
    check(vectorpin_pin_options_set_model_hash(opts.p, h->data(), h->size(), &err), err, "--model-hash");
  if (auto ts = a.get("timestamp")) {
    if (vectorpin_timestamp_check(ts->data(), ts->size(), &err) != VECTORPIN_OK)
      usage_error(std::string("--timestamp: ") + err.message);
    check(vectorpin_pin_options_set_timestamp(opts.p, ts->data(), ts->size(), &err), err, "--timestamp");
  }
  auto set_extra = [&](const std::string& k, const std::string& v) {
    check(vectorpin_pin_options_set_extra(opts.p, k.data(), k.size(), v.data(), v.size(), &err), err, "extra");
  };
  for (const auto& kv : a.all("extra")) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) usage_error("--extra takes key=value, got '" + kv.substr(0, 64) + "'");
    set_extra(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (auto v = a.get("record-id")) set_extra("vectorpin.record_id", *v);
  if (auto v = a.get("collection-id")) set_extra("vectorpin.collection_id", *v);
  if (auto v = a.get("tenant-id")) set_extra("vectorpin.tenant_id", *v);

  SignerHandle signer;
  load_signer_file(signer, kid, key_path, a.has("allow-insecure-key-permissions"));

  std::string source = read_source_file(source_path, a.get("source-newlines"));
  // JSON decimals are read straight in the pin's element type (--dtype, f64
  // by default), so each is rounded once.
  vectorpin_dtype json_dtype = a.get("dtype") == std::optional<std::string>("f32") ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
  VectorData vec = read_vector_file(vector_path, json_dtype);
  PinHandle pin;
  vectorpin_status st;
  if (vec.dtype == VECTORPIN_DTYPE_F32)
    st = vectorpin_signer_pin_f32(signer.p, &pin.p, source.data(), source.size(), model.data(), model.size(),
                                  vec.f32.data(), vec.f32.size(), opts.p, &err);
  else
    st = vectorpin_signer_pin_f64(signer.p, &pin.p, source.data(), source.size(), model.data(), model.size(),
                                  vec.f64.data(), vec.f64.size(), opts.p, &err);
  check(st, err, "pinning");
  LibString json;
  check(vectorpin_pin_to_json(pin.p, &json.p, &json.n, &err), err, "writing the pin");
  std::cout << json.str() << "\n";
  return kExitOk;
}

}  // namespace cli
