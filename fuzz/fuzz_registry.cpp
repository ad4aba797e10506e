// The timestamp grammar and the registry loader. is_real_timestamp is
// checked against an independent calendar computation, and a registry
// document either loads completely or leaves the verifier untouched.
#include <ctime>

#include "fuzz_common.hpp"
#include "timestamp.hpp"
#include "verifier.hpp"

using namespace vectorpin;

namespace {

bool digits(std::string_view s, size_t pos, size_t n, int& out) {
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

// Proleptic Gregorian day check via days_from_civil round trip.
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}

void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool oracle_real(std::string_view ts) {
  if (ts.size() != 20 || ts[4] != '-' || ts[7] != '-' || ts[10] != 'T' || ts[13] != ':' || ts[16] != ':' ||
      ts[19] != 'Z')
    return false;
  int y, mo, d, h, mi, s;
  if (!digits(ts, 0, 4, y) || !digits(ts, 5, 2, mo) || !digits(ts, 8, 2, d) || !digits(ts, 11, 2, h) ||
      !digits(ts, 14, 2, mi) || !digits(ts, 17, 2, s))
    return false;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return false;
  long long yy;
  unsigned mm, dd;
  civil_from_days(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)), yy, mm, dd);
  return yy == y && mm == static_cast<unsigned>(mo) && dd == static_cast<unsigned>(d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in = fuzz::as_view(data, size);

  // Every 20-byte window of the input is a timestamp candidate.
  for (size_t pos = 0; pos + 20 <= size && pos < 64; ++pos) {
    std::string_view ts = in.substr(pos, 20);
    FUZZ_CHECK(is_real_timestamp(ts) == oracle_real(ts));
    if (is_real_timestamp(ts)) FUZZ_CHECK(is_canonical_timestamp_form(ts));
  }
  FUZZ_CHECK(is_real_timestamp(in) == oracle_real(in));

  Verifier v;
  Error err;
  Status st = v.load_registry(in, err);
  FUZZ_CHECK(st == VECTORPIN_OK || st == VECTORPIN_INVALID_INPUT || st == VECTORPIN_INVALID_KEY ||
             st == VECTORPIN_DUPLICATE_KEY_ID);
  if (st != VECTORPIN_OK) {
    FUZZ_CHECK(v.key_count() == 0);  // all or nothing
    FUZZ_CHECK(!err.message.empty());
    return 0;
  }
  size_t loaded = v.key_count();
  // Loading the same document again collides on every kid and adds nothing.
  Error again;
  if (loaded > 0) {
    FUZZ_CHECK(v.load_registry(in, again) == VECTORPIN_DUPLICATE_KEY_ID);
    FUZZ_CHECK(v.key_count() == loaded);
  }
  return 0;
}
