// Runs a fuzz target over files without libFuzzer: every regular file under
// each argument (directories are walked recursively, in sorted order) is
// passed to LLVMFuzzerTestOneInput once. A property violation aborts, so the
// ctest test fails; finding no input at all fails too, since a replay that
// ran nothing proves nothing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path root(argv[i]);
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      files.push_back(root);
    } else if (fs::is_directory(root, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.is_regular_file()) files.push_back(entry.path());
    } else {
      std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  size_t bytes = 0;
  for (const auto& path : files) {
    std::string content;
    if (!fuzz::read_file(path.string(), content)) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.string().c_str());
      return 2;
    }
    bytes += content.size();
    // A heap copy of exactly the input's size lets ASan catch reads past its end.
    std::vector<uint8_t> buf(content.begin(), content.end());
    uint8_t* p = buf.empty() ? nullptr : buf.data();
    LLVMFuzzerTestOneInput(p, buf.size());
  }
  std::printf("replayed %zu inputs (%zu bytes)\n", files.size(), bytes);
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input found\n");
    return 1;
  }
  return 0;
}
