// SPDX-License-Identifier: MIT
// Runs a function in a forked child, for tests of code that must abort.
#ifndef ELECTRON_TESTS_CHILD_PROCESS_HPP
#define ELECTRON_TESTS_CHILD_PROCESS_HPP

#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace electron_tests {

/// How a child process ended.
struct child_status {
  bool signaled = false;
  int signal = 0;     // when signaled
  int exit_code = 0;  // otherwise
};

/// Forks, runs fn() in the child with output silenced, then _exit(0). With
/// `stderr_text`, the child's stderr is collected there instead.
template <class Fn>
child_status run_in_child(Fn fn, std::string* stderr_text = nullptr) {
  int pipe_fds[2] = {-1, -1};
  if (stderr_text != nullptr && pipe(pipe_fds) != 0) return {false, 0, -1};
  // Buffered output would otherwise be written twice: by the child too.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid == 0) {
    // The test framework's own SIGABRT handler must not report the child's
    // abort as a failure of the test: restore the default disposition.
    std::signal(SIGABRT, SIG_DFL);
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(3);
    if (stderr_text != nullptr) {
      close(pipe_fds[0]);
      if (dup2(pipe_fds[1], STDERR_FILENO) < 0) _exit(3);
      close(pipe_fds[1]);
    } else if (std::freopen("/dev/null", "w", stderr) == nullptr) {
      _exit(3);
    }
    fn();
    _exit(0);
  }
  if (stderr_text != nullptr) {
    // Read to the end before waiting: a child blocked on a full pipe never exits.
    close(pipe_fds[1]);
    stderr_text->clear();
    char buf[512];
    for (;;) {
      const ssize_t n = read(pipe_fds[0], buf, sizeof buf);
      if (n > 0) {
        stderr_text->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        break;
      }
    }
    close(pipe_fds[0]);
  }
  child_status s;
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) {
    s.exit_code = -1;
    return s;
  }
  if (WIFSIGNALED(status)) {
    s.signaled = true;
    s.signal = WTERMSIG(status);
  } else {
    s.exit_code = WEXITSTATUS(status);
  }
  return s;
}

}  // namespace electron_tests

#endif  // ELECTRON_TESTS_CHILD_PROCESS_HPP
