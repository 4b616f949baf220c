// SPDX-License-Identifier: MIT
// Runs a function in a forked child, for tests of code that must abort.
#ifndef ELECTRON_TESTS_CHILD_PROCESS_HPP
#define ELECTRON_TESTS_CHILD_PROCESS_HPP

#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdlib>

namespace electron_tests {

/// How a child process ended.
struct child_status {
  bool signaled = false;
  int signal = 0;     // when signaled
  int exit_code = 0;  // otherwise
};

/// Forks, runs fn() in the child with output silenced, then _exit(0).
template <class Fn>
child_status run_in_child(Fn fn) {
  const pid_t pid = fork();
  if (pid == 0) {
    // The test framework's own SIGABRT handler must not report the child's
    // abort as a failure of the test: restore the default disposition.
    std::signal(SIGABRT, SIG_DFL);
    if (std::freopen("/dev/null", "w", stdout) == nullptr || std::freopen("/dev/null", "w", stderr) == nullptr) {
      _exit(3);
    }
    fn();
    _exit(0);
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
