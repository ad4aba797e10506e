// A conformance shim running as a child process: one JSON request line to
// its stdin, one JSON answer line from its stdout, each bounded in time and
// size. A shim that crashes, hangs or writes garbage is killed (with its
// whole process group) and can be started again.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>

namespace conformance {

class ShimProcess {
 public:
  explicit ShimProcess(std::string command) : command_(std::move(command)) {}
  ~ShimProcess() { stop(); }
  ShimProcess(const ShimProcess&) = delete;
  ShimProcess& operator=(const ShimProcess&) = delete;

  // Starts `/bin/sh -c COMMAND` in a new process group; false (with
  // `error`) if it cannot be started.
  bool start(std::string& error);
  bool running() const { return pid_ > 0; }

  // Writes `line` plus a newline and reads one answer line. On failure the
  // shim is killed and `error` says what happened (exited with which
  // status, no answer in time, a line longer than the limit).
  std::optional<std::string> exchange(const std::string& line, std::chrono::milliseconds timeout, std::string& error);

  // Closes stdin and waits briefly for the shim to leave; kills it if not.
  void stop();
  // Kills the process group at once (hung or misbehaving shim).
  void kill_now();

  const std::string& command() const { return command_; }

  // Answers longer than this are refused (a pin is at most 64 KiB; its
  // base64url, the largest field of any answer, stays far below).
  static constexpr size_t kMaxAnswerBytes = 4u << 20;

 private:
  std::string exit_description();
  void close_pipes();

  std::string command_;
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffered_;  // bytes read after the last answer line
  int last_wait_status_ = 0;
  bool reaped_ = false;
};

}  // namespace conformance
