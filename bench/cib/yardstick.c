/*
 * The C yardstick of bench/cib: a plain branch and bound for the CIB kernel (Weimer-Jehle 2006),
 * with the bound of cib-method.md "Exact search" in natural factor order: at every node, for
 * each assigned factor e (chosen state k) and rival l, the partial gap θ_k − θ_l plus the
 * largest gain the unassigned factors could still give l over k must stay ≥ −T. No
 * decomposition, no reordering, no propagation: the reference a TypeScript engine is measured
 * against ("engine time ÷ C time" and nodes against nodes, in the same run). A node is one
 * state tried for one factor, as in src/cib/kernel.ts, so in natural order the two node counts
 * are equal.
 *
 * Input (stdin, whitespace-separated integers): n, T, counts[0..n−1], then the M×M matrix
 * row by row (rows = source states, columns = target states, factor by factor).
 * Output (stdout): "count nodes milliseconds".
 * Built by the bench with the system's cc (cc -O2); not part of Muscat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int n, T, M;
static int *cnt, *off, *C;
/* S[d][pair]: Σ over factors u ≥ d of max_v (C[(u,v),(e,k)] − C[(u,v),(e,l)]); pair = (e,k,l) */
static long *S;
static int *pairOff, np;
static long *theta; /* theta[d][c]: Σ over assigned factors < d of C[(u,z_u), c] */
static int *z;
static long long count = 0, nodes = 0;

static void search(int d) {
  long *th = theta + (long)d * M;
  long *nx = theta + (long)(d + 1) * M;
  for (int s = 0; s < cnt[d]; s++) {
    nodes++;
    z[d] = s;
    const int *row = C + (long)(off[d] + s) * M;
    for (int c = 0; c < M; c++) nx[c] = th[c] + row[c];
    const long *Sd = S + (long)(d + 1) * np;
    int ok = 1;
    for (int e = 0; e <= d && ok; e++) {
      if (cnt[e] < 2) continue;
      const int k = z[e];
      const long tk = nx[off[e] + k];
      for (int l = 0; l < cnt[e]; l++) {
        if (l == k) continue;
        if (tk - nx[off[e] + l] + Sd[pairOff[e] + k * cnt[e] + l] < -T) {
          ok = 0;
          break;
        }
      }
    }
    if (!ok) continue;
    if (d == n - 1) count++;
    else search(d + 1);
  }
}

int main(void) {
  if (scanf("%d %d", &n, &T) != 2) return 1;
  cnt = malloc(sizeof(int) * n);
  off = malloc(sizeof(int) * (n + 1));
  pairOff = malloc(sizeof(int) * (n + 1));
  off[0] = 0;
  pairOff[0] = 0;
  for (int i = 0; i < n; i++) {
    if (scanf("%d", &cnt[i]) != 1) return 1;
    off[i + 1] = off[i] + cnt[i];
    pairOff[i + 1] = pairOff[i] + cnt[i] * cnt[i];
  }
  M = off[n];
  np = pairOff[n];
  C = malloc(sizeof(int) * (long)M * M);
  for (long i = 0; i < (long)M * M; i++)
    if (scanf("%d", &C[i]) != 1) return 1;
  S = calloc((long)(n + 1) * np, sizeof(long));
  for (int d = n - 1; d >= 0; d--)
    for (int e = 0; e < n; e++)
      for (int k = 0; k < cnt[e]; k++)
        for (int l = 0; l < cnt[e]; l++) {
          long best = -(1L << 40);
          for (int v = 0; v < cnt[d]; v++) {
            const int *row = C + (long)(off[d] + v) * M;
            long diff = row[off[e] + k] - row[off[e] + l];
            if (diff > best) best = diff;
          }
          const int pi = pairOff[e] + k * cnt[e] + l;
          S[(long)d * np + pi] = S[(long)(d + 1) * np + pi] + best;
        }
  theta = calloc((long)(n + 1) * M, sizeof(long));
  z = calloc(n, sizeof(int));
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  search(0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ms = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  printf("%lld %lld %.3f\n", count, nodes, ms);
  return 0;
}
