// `vectorpin audit` and `vectorpin pin-store`.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "json_emit.hpp"
#include "audit.hpp"
#include "summary.hpp"

namespace cli {
namespace {

using namespace cli::audit;

std::vector<FlagSpec> table_flags() {
  return {{"store", true, false},         {"table", true, false},         {"schema", true, false},
          {"id-column", true, false},     {"vector-column", true, false}, {"source-column", true, false},
          {"pin-column", true, false},    {"vector-format", true, false}, {"no-source", false, false},
          {"threads", true, false},       {"allow-insecure-transport", false, false},
          {"no-progress", false, false}};
}

TableSpec table_spec(const Args& a, const StoreRef& store) {
  TableSpec spec;
  bool sql = store.backend != Backend::kJsonl;
  if (sql) {
    spec.table = a.require("table");
    validate_identifier(spec.table, "table");
    if (auto s = a.get("schema")) {
      if (store.backend != Backend::kPostgres) usage_error("--schema applies to PostgreSQL stores only");
      validate_identifier(*s, "schema");
      spec.schema = *s;
    }
  } else {
    if (a.has("table") || a.has("schema")) usage_error("--table and --schema do not apply to JSONL stores");
  }
  const std::pair<const char*, std::string*> names[] = {{"id-column", &spec.id_column},
                                                        {"vector-column", &spec.vector_column},
                                                        {"source-column", &spec.source_column},
                                                        {"pin-column", &spec.pin_column}};
  for (const auto& [flag, slot] : names) {
    if (auto v = a.get(flag)) *slot = *v;
    // JSONL field names never reach SQL, but the same rule keeps names predictable.
    validate_identifier(*slot, flag);
  }
  spec.use_source = !a.has("no-source");
  if (a.has("no-source") && a.has("source-column")) usage_error("--no-source and --source-column exclude each other");
  if (auto f = a.get("vector-format")) {
    if (store.backend == Backend::kJsonl) usage_error("--vector-format does not apply to JSONL stores (vectors are JSON arrays)");
    spec.vector_format = parse_vector_format(*f, store.backend);
  } else {
    spec.vector_format = store.backend == Backend::kSqlite ? VectorFormat::kBlobF32 : VectorFormat::kAuto;
  }
  if (store.backend == Backend::kJsonl) spec.vector_format = VectorFormat::kJson;
  if (a.has("allow-insecure-transport") && store.backend != Backend::kPostgres)
    usage_error("--allow-insecure-transport applies to PostgreSQL stores only");
  return spec;
}

std::unique_ptr<RecordReader> open_reader(const StoreRef& store, const TableSpec& spec, bool insecure,
                                          size_t max_record_bytes) {
  switch (store.backend) {
    case Backend::kSqlite: return open_sqlite_reader(store.location, spec, max_record_bytes);
    case Backend::kJsonl: return open_jsonl_reader(store.location, spec, max_record_bytes);
    case Backend::kPostgres: return open_postgres_reader(store.location, spec, insecure, max_record_bytes);
  }
  return nullptr;
}

std::string seconds_json(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

struct ReportFile {
  std::FILE* f = nullptr;
  ~ReportFile() {
    if (f && f != stderr) std::fclose(f);
  }
};

}  // namespace

int cmd_audit(const std::vector<std::string>& argv) {
  std::vector<FlagSpec> spec_flags = table_flags();
  for (FlagSpec f : std::initializer_list<FlagSpec>{{"registry", true, false},
                                                    {"public-key", true, false},
                                                    {"key-id", true, false},
                                                    {"valid-from", true, false},
                                                    {"valid-until", true, false},
                                                    {"expect-model", true, false},
                                                    {"bind-record-id", false, false},
                                                    {"collection-id", true, false},
                                                    {"legacy-v1", false, false},
                                                    {"fail-on-unpinned", false, false},
                                                    {"report", true, false},
                                                    {"shard", true, false},
                                                    {"max-record-bytes", true, false}})
    spec_flags.push_back(f);
  Args a = Args::parse(argv, spec_flags);
  StoreRef store = parse_store(a.require("store"));
  TableSpec spec = table_spec(a, store);

  AuditOptions opts;
  opts.threads = resolve_threads(a.get("threads"));
  if (opts.threads > vectorpin_batch_max_threads())
    usage_error("--threads for audit is at most " + std::to_string(vectorpin_batch_max_threads()));
  opts.use_source = spec.use_source;
  opts.bind_record = a.has("bind-record-id");
  opts.collection_id = a.get("collection-id");
  opts.expect_model = a.get("expect-model");
  opts.fail_on_unpinned = a.has("fail-on-unpinned");
  opts.progress = !a.has("no-progress") && stderr_is_terminal();
  if (auto text = a.get("max-record-bytes")) {
    // Plain decimal bytes, 1 KiB to 1 GiB.
    bool ok = !text->empty() && text->size() <= 10 && text->find_first_not_of("0123456789") == std::string::npos;
    unsigned long long v = ok ? std::stoull(*text) : 0;
    if (!ok || v < 1024 || v > (1ull << 30)) usage_error("--max-record-bytes takes a number of bytes from 1024 to 1073741824");
    opts.max_record_bytes = static_cast<size_t>(v);
  }
  if (auto text = a.get("shard")) {
    opts.shard = parse_shard(*text);
    if (!opts.shard)
      usage_error("--shard takes I/N in plain decimal with 1 <= N <= " + std::to_string(kMaxShards) + " and 0 <= I < N");
  }

  VerifierHandle verifier;
  vectorpin_error err;
  check(vectorpin_verifier_new(&verifier.p, &err), err, "verifier");
  setup_verifier_keys(a, verifier.p);
  if (a.has("legacy-v1")) check(vectorpin_verifier_set_legacy_v1(verifier.p, 1, &err), err, "--legacy-v1");

  ReportFile report;
  if (auto path = a.get("report")) {
    report.f = std::fopen(path->c_str(), "w");
    if (!report.f) runtime_error("cannot create " + *path + ": " + std::strerror(errno));
  } else {
    report.f = stderr;
    opts.report_is_stderr = true;
  }
  opts.report = report.f;

  std::unique_ptr<RecordReader> reader =
      open_reader(store, spec, a.has("allow-insecure-transport"), opts.max_record_bytes);
  AuditSummary s = run_audit(*reader, verifier.p, opts);
  if (report.f != stderr && std::fflush(report.f) != 0) runtime_error("cannot write the report");

  SummaryHead head;
  head.store = store.name();
  head.table = spec.table;
  head.threads = opts.threads;
  if (opts.shard) {
    // Shards are merged by name: say exactly which store and part this is.
    head.schema = spec.schema;
    head.shard = opts.shard;
    head.location = reader->location();
  }
  std::string out = summary_json(head, s);
  std::cout << out << std::flush;
  if (!std::cout) runtime_error("cannot write the summary");
  if (s.verification_failed > 0 || (opts.fail_on_unpinned && s.unpinned > 0)) return kExitVerificationFailed;
  return kExitOk;
}

int cmd_pin_store(const std::vector<std::string>& argv) {
  std::vector<FlagSpec> spec_flags = table_flags();
  for (FlagSpec f : std::initializer_list<FlagSpec>{{"private-key", true, false},
                                                    {"key-id", true, false},
                                                    {"model", true, false},
                                                    {"model-hash", true, false},
                                                    {"timestamp", true, false},
                                                    {"protocol", true, false},
                                                    {"dtype", true, false},
                                                    {"extra", true, true},
                                                    {"collection-id", true, false},
                                                    {"no-bind-record", false, false},
                                                    {"no-bind-collection", false, false},
                                                    {"only-unpinned", false, false},
                                                    {"overwrite", false, false},
                                                    {"skip-invalid", false, false},
                                                    {"allow-insecure-key-permissions", false, false}})
    spec_flags.push_back(f);
  Args a = Args::parse(argv, spec_flags);
  StoreRef store = parse_store(a.require("store"));
  if (store.backend == Backend::kJsonl)
    usage_error("pin-store writes SQLite and PostgreSQL tables; JSONL files are written by the program that makes them");
  TableSpec spec = table_spec(a, store);
  std::string key_path = a.require("private-key");
  std::string kid = a.require("key-id");

  PinJob job;
  job.model = a.require("model");
  job.model_hash = a.get("model-hash");
  if (auto ts = a.get("timestamp")) {
    vectorpin_error err;
    if (vectorpin_timestamp_check(ts->data(), ts->size(), &err) != VECTORPIN_OK)
      usage_error(std::string("--timestamp: ") + err.message);
    job.timestamp = ts;
  }
  if (auto p = a.get("protocol")) {
    if (*p != "1" && *p != "2") usage_error("--protocol must be 1 or 2");
    job.protocol = *p == "1" ? 1 : 2;
  }
  if (auto d = a.get("dtype")) {
    if (*d != "f32" && *d != "f64") usage_error("--dtype must be f32 or f64");
    if (spec.vector_format == VectorFormat::kBlobF32 || spec.vector_format == VectorFormat::kBlobF64)
      usage_error("--dtype applies to JSON vectors; a blob's element type is its --vector-format");
    job.json_dtype = *d == "f32" ? VECTORPIN_DTYPE_F32 : VECTORPIN_DTYPE_F64;
  }
  for (const auto& kv : a.all("extra")) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) usage_error("--extra takes key=value");
    std::string k = kv.substr(0, eq);
    if (k.rfind("vectorpin.", 0) == 0)
      usage_error("--extra cannot set the reserved vectorpin.* keys; pin-store binds record and collection ids itself");
    job.extra.emplace_back(k, kv.substr(eq + 1));
  }
  job.bind_record = !a.has("no-bind-record");
  if (a.has("no-bind-collection")) {
    if (a.has("collection-id")) usage_error("--collection-id and --no-bind-collection exclude each other");
  } else {
    job.collection_id = a.has("collection-id") ? *a.get("collection-id") : spec.table;
  }
  job.only_unpinned = a.has("only-unpinned");
  job.overwrite = a.has("overwrite");
  if (job.only_unpinned && job.overwrite) usage_error("--only-unpinned and --overwrite exclude each other");
  job.skip_invalid = a.has("skip-invalid");
  job.threads = resolve_threads(a.get("threads"));
  job.progress = !a.has("no-progress") && stderr_is_terminal();

  SignerHandle signer;
  load_signer_file(signer, kid, key_path, a.has("allow-insecure-key-permissions"));
  job.signer = signer.p;

  double started = monotonic_seconds();
  PinStoreResult r = store.backend == Backend::kSqlite
                         ? pin_sqlite_store(store.location, spec, job)
                         : pin_postgres_store(store.location, spec, job, a.has("allow-insecure-transport"));
  for (const auto& s : r.skipped_ids) std::cerr << "skipped record " << s << "\n";
  std::string out = "{\"store\":" + json_quote(store.name()) + ",\"table\":" + json_quote(spec.table) +
                    ",\"pinned\":" + std::to_string(r.pinned) + ",\"skipped\":" + std::to_string(r.skipped) +
                    ",\"bind_record_id\":" + (job.bind_record ? "true" : "false") + ",\"collection_id\":" +
                    (job.collection_id ? json_quote(*job.collection_id) : std::string("null")) +
                    ",\"elapsed_seconds\":" + seconds_json(monotonic_seconds() - started) + "}\n";
  std::cout << out << std::flush;
  return kExitOk;
}

}  // namespace cli
