#!/usr/bin/env bash
# Runs the fuzz targets one after another on one core, at the lowest
# priority, until a given UTC time; appends one line per run to
# fuzz/hours.tsv (committed, additive across sessions; RELIABILITY.md sums
# it). Logs go to fuzz/logs/, crash inputs to fuzz/artifacts/<target>/.
#
#   fuzz/rotate.sh UNTIL_HH:MM [MINUTES_PER_TARGET] [TARGET...]
#
# Needs cargo-fuzz and the nightly toolchain (see RELIABILITY.md).
set -uo pipefail
cd "$(dirname "$0")"
until_epoch=$(date -u -d "$1" +%s)
slot=$(( ${2:-20} * 60 ))
shift 2 || shift $#
FLAGS=(-s none -a)
mkdir -p logs artifacts work
[ -f hours.tsv ] || printf 'date_utc\ttarget\tseconds\texecs\tcrashes\tcorpus_files\tnote\tcpu_seconds\n' > hours.tsv
while :; do
  targets=("$@")
  [ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
  for t in "${targets[@]}"; do
    now=$(date -u +%s)
    left=$(( until_epoch - now ))
    [ "$left" -gt 60 ] || exit 0
    secs=$(( left < slot ? left : slot ))
    stamp=$(date -u +%Y%m%dT%H%M%S)
    log="logs/$t-$stamp.log"
    # Build first, so that build time is not counted as fuzzing time.
    nice -n 19 cargo +nightly fuzz build "${FLAGS[@]}" "$t" > "$log" 2>&1 || { echo "build failed: $log"; sleep 60; continue; }
    mkdir -p "work/$t" "artifacts/$t"
    start=$(date -u +%s)
    # CPU seconds (user + system) too: on a shared machine a fuzzer at the
    # lowest priority may get much less than its wall time.
    TIMEFORMAT='%U %S'
    { time nice -n 19 cargo +nightly fuzz run "${FLAGS[@]}" "$t" "work/$t" "corpus/$t" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=16384 \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1 >> "$log" 2>&1 ; } 2> "$log.cpu"
    rc=$?
    cpu=$(awk '{ printf "%d", $1 + $2 }' "$log.cpu")
    end=$(date -u +%s)
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | tail -1)
    crashes=0; note=ok
    if [ $rc -ne 0 ]; then
      crashes=1
      note=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //')
      [ -n "$note" ] || note="exit $rc"
    fi
    files=$(ls "work/$t" | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$t" $(( end - start )) "${execs:-0}" "$crashes" "$files" "$note" "${cpu:-}" >> hours.tsv
  done
done
