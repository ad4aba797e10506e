/* The C side of the Node parse benchmark: parses one pin JSON file N times
 * through the public C API and prints the nanoseconds per parse (parse and
 * free, as Pin.parse plus its eventual release costs). Run by
 * parse.bench.js in the same process tree and the same minute as the Node
 * measurement, so the two figures are comparable. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vectorpin.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PIN_JSON_FILE ITERATIONS\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  static char json[65536];
  size_t n = fread(json, 1, sizeof json, f);
  fclose(f);
  long iterations = strtol(argv[2], NULL, 10);
  if (iterations <= 0) return 2;
  /* Warm the caches and the allocator as the Node side does. */
  for (long i = 0; i < iterations / 10 + 1; ++i) {
    vectorpin_pin *p = NULL;
    if (vectorpin_pin_parse(&p, json, n, NULL) != VECTORPIN_OK) {
      fprintf(stderr, "the pin does not parse\n");
      return 1;
    }
    vectorpin_pin_free(p);
  }
  double start = now_ns();
  for (long i = 0; i < iterations; ++i) {
    vectorpin_pin *p = NULL;
    if (vectorpin_pin_parse(&p, json, n, NULL) != VECTORPIN_OK) return 1;
    vectorpin_pin_free(p);
  }
  printf("%.1f\n", (now_ns() - start) / (double)iterations);
  return 0;
}
