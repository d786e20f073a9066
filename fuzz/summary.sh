#!/usr/bin/env bash
# Sums fuzz/hours.tsv per target (every session's runs, as appended by
# rotate.sh) into the Markdown table RELIABILITY.md shows.
set -euo pipefail
cd "$(dirname "$0")"
awk -F'\t' '
  function commas(n,   s) { s = sprintf("%d", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); return s }
  NR == 1 { next }
  { secs[$2] += $3; if ($8 != "") { cpu[$2] += $8; cpuknown[$2] += $3 } execs[$2] += $4; crashes[$2] += $5; runs[$2]++
    if ($6 > files[$2]) files[$2] = $6; order[$2] = order[$2] ? order[$2] : NR }
  END {
    print "| target | runs | fuzzing time (wall) | CPU time of the runs that record it | executions | crashes | corpus files (largest run) |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    n = 0
    for (t in secs) names[n++] = t
    for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (order[names[j]] < order[names[i]]) { x = names[i]; names[i] = names[j]; names[j] = x }
    for (i = 0; i < n; i++) {
      t = names[i]
      printf "| %s | %d | %d h %02d min | %d min of %d min wall | %s | %d | %d |\n", t, runs[t], secs[t] / 3600, (secs[t] % 3600) / 60, cpu[t] / 60, cpuknown[t] / 60, commas(execs[t]), crashes[t], files[t]
      ts += secs[t]; te += execs[t]; tc += crashes[t]
    }
    printf "| **all** | | **%d h %02d min** | | **%s** | **%d** | |\n", ts / 3600, (ts % 3600) / 60, commas(te), tc
  }' hours.tsv
