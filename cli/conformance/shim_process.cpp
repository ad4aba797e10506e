#include "shim_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace conformance {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

bool ShimProcess::start(std::string& error) {
  stop();
  // A shim that dies while we write must give EPIPE, not end the runner.
  std::signal(SIGPIPE, SIG_IGN);
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    error = std::string("cannot create a pipe: ") + std::strerror(errno);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return false;
  }
  pid_t pid = fork();
  if (pid < 0) {
    error = std::string("cannot fork: ") + std::strerror(errno);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    // Own process group, so a hung shim and everything it started can be
    // killed together.
    setpgid(0, 0);
    std::signal(SIGPIPE, SIG_DFL);
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so kill(-pid) works at once
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  pid_ = pid;
  to_child_ = in_pipe[1];
  from_child_ = out_pipe[0];
  set_nonblocking(to_child_);
  set_nonblocking(from_child_);
  buffered_.clear();
  reaped_ = false;
  return true;
}

std::optional<std::string> ShimProcess::exchange(const std::string& line, std::chrono::milliseconds timeout,
                                                 std::string& error) {
  if (!running()) {
    error = "the shim is not running";
    return std::nullopt;
  }
  const auto deadline = Clock::now() + timeout;
  const std::string out = line + "\n";
  size_t written = 0;
  auto fail = [&](const std::string& why) {
    error = why;
    kill_now();
    return std::nullopt;
  };
  while (written < out.size()) {
    ssize_t n = ::write(to_child_, out.data() + written, out.size() - written);
    if (n > 0) {
      written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) return fail("the shim closed its input (" + exit_description() + ")");
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return fail(std::string("cannot write to the shim: ") + std::strerror(errno));
    pollfd p{to_child_, POLLOUT, 0};
    int ms = remaining_ms(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) == 0)
      return fail("no answer within " + std::to_string(timeout.count()) + " ms (the shim stopped reading its input)");
  }
  for (;;) {
    size_t nl = buffered_.find('\n');
    if (nl != std::string::npos) {
      std::string answer = buffered_.substr(0, nl);
      buffered_.erase(0, nl + 1);
      if (!answer.empty() && answer.back() == '\r') answer.pop_back();
      return answer;
    }
    if (buffered_.size() > kMaxAnswerBytes)
      return fail("an answer line longer than " + std::to_string(kMaxAnswerBytes) + " bytes");
    char chunk[65536];
    ssize_t n = ::read(from_child_, chunk, sizeof chunk);
    if (n > 0) {
      buffered_.append(chunk, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) return fail("the shim exited without answering (" + exit_description() + ")");
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return fail(std::string("cannot read from the shim: ") + std::strerror(errno));
    pollfd p{from_child_, POLLIN, 0};
    int ms = remaining_ms(deadline);
    if (ms == 0 || ::poll(&p, 1, ms) == 0)
      return fail("no answer within " + std::to_string(timeout.count()) + " ms");
  }
}

std::string ShimProcess::exit_description() {
  if (pid_ <= 0) return "not running";
  // The shim may still be closing down; give it a moment to be reaped.
  for (int i = 0; i < 50 && !reaped_; ++i) {
    pid_t r = waitpid(pid_, &last_wait_status_, WNOHANG);
    if (r == pid_) reaped_ = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!reaped_) return "still running";
  if (WIFEXITED(last_wait_status_)) return "exit status " + std::to_string(WEXITSTATUS(last_wait_status_));
  if (WIFSIGNALED(last_wait_status_)) {
    int sig = WTERMSIG(last_wait_status_);
    const char* name = strsignal(sig);
    return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : std::string());
  }
  return "ended";
}

void ShimProcess::close_pipes() {
  if (to_child_ >= 0) ::close(to_child_);
  if (from_child_ >= 0) ::close(from_child_);
  to_child_ = from_child_ = -1;
  buffered_.clear();
}

void ShimProcess::kill_now() {
  if (pid_ <= 0) return;
  close_pipes();
  if (!reaped_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &last_wait_status_, 0);
  } else {
    ::kill(-pid_, SIGKILL);  // anything the shim started and left behind
  }
  pid_ = -1;
}

void ShimProcess::stop() {
  if (pid_ <= 0) return;
  close_pipes();  // EOF on its stdin: a well-behaved shim leaves
  for (int i = 0; i < 200 && !reaped_; ++i) {
    if (waitpid(pid_, &last_wait_status_, WNOHANG) == pid_) reaped_ = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_now();
}

}  // namespace conformance
