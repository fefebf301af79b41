/* entry_point_checks.c - The contract of qcc's <name>_run, for
 * qcc-entry-point.test.
 *
 * Links libfixed.so (Inputs/sum_rows_fixed.mlir, batch fixed at 2) and
 * libdyn.so (Inputs/sum_rows_dynamic.mlir, free batch): both sum the two
 * rows of each 2x3 item. Checks that bad calls return -1 and leave the
 * output alone, and that good calls return 0 with the sums computed here by
 * brute force. Prints one line per check and exits 1 if any failed. */
#include "dyn.h"
#include "fixed.h"

#include <stdio.h>

enum { MAX_BATCH = 5, SENTINEL = -12345 };

static int failures;

static void check(int ok, const char *what) {
  printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  failures += !ok;
}

typedef int (*run_fn)(const float *input, float *output, int batch);

/* Calls `run` on `batch` items and compares the result with the row sums;
   `expect` is the return code the call must give. A rejected call must
   leave the output untouched. */
static void try_batch(run_fn run, const char *name, const float *input,
                      int batch, int expect, int null_input, int null_output) {
  float output[MAX_BATCH * 3];
  char what[160];
  int i, j, rc, ok;
  for (i = 0; i < MAX_BATCH * 3; ++i)
    output[i] = SENTINEL;
  rc = run(null_input ? NULL : input, null_output ? NULL : output, batch);
  ok = rc == expect;
  for (i = 0; i < MAX_BATCH && ok; ++i)
    for (j = 0; j < 3 && ok; ++j) {
      float want = expect == 0 && i < batch
                       ? input[i * 6 + j] + input[i * 6 + 3 + j]
                       : SENTINEL;
      ok = output[i * 3 + j] == want;
    }
  snprintf(what, sizeof what, "%s batch %d%s%s returns %d", name, batch,
           null_input ? ", null input" : "", null_output ? ", null output" : "",
           expect);
  check(ok, what);
}

int main(void) {
  float input[MAX_BATCH * 6];
  int i;
  for (i = 0; i < MAX_BATCH * 6; ++i)
    input[i] = (float)(i * 7 % 11) - 4.5f;
  check(FIXED_INPUT_SIZE == 6 && FIXED_OUTPUT_SIZE == 3 && FIXED_BATCH == 2,
        "fixed.h sizes 6, 3, batch 2");
  check(DYN_INPUT_SIZE == 6 && DYN_OUTPUT_SIZE == 3 && DYN_BATCH == 0,
        "dyn.h sizes 6, 3, batch 0");
  try_batch(fixed_run, "fixed", input, 2, 0, 0, 0);
  try_batch(fixed_run, "fixed", input, 1, -1, 0, 0);
  try_batch(fixed_run, "fixed", input, 3, -1, 0, 0);
  try_batch(fixed_run, "fixed", input, 2, -1, 1, 0);
  try_batch(fixed_run, "fixed", input, 2, -1, 0, 1);
  try_batch(dyn_run, "dyn", input, 1, 0, 0, 0);
  try_batch(dyn_run, "dyn", input, 5, 0, 0, 0);
  try_batch(dyn_run, "dyn", input, 0, -1, 0, 0);
  try_batch(dyn_run, "dyn", input, -3, -1, 0, 0);
  try_batch(dyn_run, "dyn", input, 3, -1, 1, 0);
  try_batch(dyn_run, "dyn", input, 3, -1, 0, 1);
  return failures != 0;
}
