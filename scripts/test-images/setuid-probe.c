/*
 * setuid-probe: a test binary for promokit's hardening tests, installed setuid root in the image
 * promokit-test/setuid:1 (scripts/test-env.sh). It prints the real and effective uid it runs with and,
 * given a path, creates that file: with the kernel's no-new-privileges flag the setuid bit is ignored and
 * the file belongs to the caller; without it the file belongs to root.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("ruid=%d euid=%d\n", (int) getuid(), (int) geteuid());
  if (argc > 1) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
      perror(argv[1]);
      return 1;
    }
    close(fd);
    printf("created %s\n", argv[1]);
  }
  return 0;
}
