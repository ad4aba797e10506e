#include "timestamp.hpp"

#include <ctime>

namespace vectorpin {
namespace {

int number(std::string_view s, size_t pos, size_t len) {
  int v = 0;
  for (size_t i = 0; i < len; ++i) v = v * 10 + (s[pos + i] - '0');
  return v;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool is_canonical_timestamp_form(std::string_view ts) {
  static constexpr char kPattern[] = "dddd-dd-ddTdd:dd:ddZ";
  if (ts.size() != 20) return false;
  for (size_t i = 0; i < 20; ++i) {
    char p = kPattern[i];
    if (p == 'd') {
      if (ts[i] < '0' || ts[i] > '9') return false;
    } else if (ts[i] != p) {
      return false;
    }
  }
  return true;
}

bool is_real_timestamp(std::string_view ts) {
  if (!is_canonical_timestamp_form(ts)) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int year = number(ts, 0, 4), month = number(ts, 5, 2), day = number(ts, 8, 2);
  int hour = number(ts, 11, 2), minute = number(ts, 14, 2), second = number(ts, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  int days = kDays[month - 1] + ((month == 2 && is_leap(year)) ? 1 : 0);
  return day <= days && hour < 24 && minute < 60 && second < 60;
}

std::string timestamp_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace vectorpin
