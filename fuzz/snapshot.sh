#!/usr/bin/env bash
# Copies the last commit's engine and the working tree's fuzz crate into
# DIR (default /tmp/segscope-fuzz), so that the fuzzers build from a tree
# that compiles while others edit the shared one. Corpus, work, logs,
# artifacts and hours.tsv stay here (symbolic links).
#
#   fuzz/snapshot.sh [DIR]     then: DIR/fuzz/rotate.sh UNTIL [MINUTES] [TARGETS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
dir=${1:-/tmp/segscope-fuzz}
mkdir -p "$dir/fuzz" "$here/work" "$here/logs" "$here/artifacts"
rm -rf "$dir/core"
git -C "$root" archive HEAD core Cargo.toml | tar -x -C "$dir"
# Only the engine is needed: a workspace of one member.
sed -i 's/^members = .*/members = ["core"]/' "$dir/Cargo.toml"
cp "$here/Cargo.toml" "$here/rotate.sh" "$dir/fuzz/"
[ -f "$here/Cargo.lock" ] && cp "$here/Cargo.lock" "$dir/fuzz/"
rm -rf "$dir/fuzz/fuzz_targets" "$dir/core/tests"
cp -r "$here/fuzz_targets" "$dir/fuzz/"
mkdir -p "$dir/core/tests"
cp -r "$root/core/tests/fuzz_harness" "$dir/core/tests/"
[ -f "$here/hours.tsv" ] || printf 'date_utc\ttarget\tseconds\texecs\tcrashes\tcorpus_files\tnote\tcpu_seconds\n' > "$here/hours.tsv"
for link in corpus regressions work logs artifacts hours.tsv; do
  ln -sfn "$here/$link" "$dir/fuzz/$link"
done
echo "snapshot of $(git -C "$root" rev-parse --short HEAD) in $dir"
