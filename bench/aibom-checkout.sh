#!/usr/bin/env bash
# Extract every repository of the AI-BOM corpus (bench/aibom-corpus/*.json) at its labelled
# commit into OUT/OWNER+NAME, from the bare git snapshots in MIRRORS/OWNER+NAME (the git
# directory may be MIRRORS/OWNER+NAME itself or nested inside it, e.g. MIRRORS/OWNER+NAME/repo).
# Checkouts already present are left alone. Fails, naming the repository, when a mirror or the
# labelled commit is missing; nothing is fetched.
#
#   bench/aibom-checkout.sh /work/.mirror /tmp/aibom-checkouts
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 MIRRORS OUT" >&2
  exit 2
fi
mirrors=$1 out=$2
corpus="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/aibom-corpus"
[[ -d "$mirrors" ]] || { echo "error: no mirrors directory $mirrors" >&2; exit 1; }
mkdir -p "$out"

# The git directory inside a mirror folder: the folder itself when bare, else the shallowest
# nested directory holding HEAD, objects/ and refs/.
git_dir_of() {
  local root=$1 candidate
  while IFS= read -r candidate; do
    candidate=$(dirname "$candidate")
    if [[ -d "$candidate/objects" && -d "$candidate/refs" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done < <(find -L "$root" -maxdepth 3 -name HEAD -type f -not -path '*/refs/*' -not -path '*/logs/*' | awk '{ print length, $0 }' | sort -n | cut -d' ' -f2-)
  return 1
}

# Paths (NUL-terminated) of the commit's blobs that the snapshot does not hold.
missing_blobs() {
  local gitdir=$1 commit=$2 missing
  missing=$(git --git-dir="$gitdir" ls-tree -r "$commit" | awk '$2 == "blob" { print $3 }' |
    git --git-dir="$gitdir" cat-file --batch-check | awk '$2 == "missing" { print $1 }')
  [[ -n "$missing" ]] || return 0
  git --git-dir="$gitdir" ls-tree -r -z "$commit" |
    awk -v RS='\0' -v ORS='\0' -v missing="$missing" '
      BEGIN { n = split(missing, m, "\n"); for (i = 1; i <= n; i++) gone[m[i]] = 1 }
      { tab = index($0, "\t"); split(substr($0, 1, tab - 1), meta, " ");
        if (meta[2] == "blob" && (meta[3] in gone)) print substr($0, tab + 1) }'
}

failed=0 extracted=0 present=0
for label in "$corpus"/*.json; do
  repo=$(jq -er .repo "$label") || { echo "error: $label has no repo" >&2; failed=1; continue; }
  commit=$(jq -er .commit "$label") || { echo "error: $label has no commit" >&2; failed=1; continue; }
  name=${repo/\//+}
  target="$out/$name"
  if [[ -d "$target" ]]; then
    present=$((present + 1))
    continue
  fi
  if [[ ! -d "$mirrors/$name" ]]; then
    echo "error: $repo: no mirror at $mirrors/$name (fetch github:$repo first)" >&2
    failed=1
    continue
  fi
  if ! gitdir=$(git_dir_of "$mirrors/$name"); then
    echo "error: $repo: no git directory under $mirrors/$name" >&2
    failed=1
    continue
  fi
  if ! git --git-dir="$gitdir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "error: $repo: commit $commit is not in $gitdir" >&2
    failed=1
    continue
  fi
  # Snapshots leave out their largest blobs (the labels say which files are absent): those paths
  # are excluded from the archive and listed, instead of failing the whole extraction.
  excludes=()
  while IFS= read -r -d '' path; do
    excludes+=(":(exclude,literal)$path")
  done < <(missing_blobs "$gitdir" "$commit")
  # Extract into a sibling temp folder and rename, so an interrupted run leaves no half tree.
  tmp="$target.part"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # git still names the excluded missing blobs on stderr ("invalid object") while exiting 0, so
  # its messages are shown only when the extraction fails.
  if git --git-dir="$gitdir" archive "$commit" -- . "${excludes[@]}" 2>"$tmp.log" | tar -x -C "$tmp"; then
    rm -f "$tmp.log"
    mv "$tmp" "$target"
    extracted=$((extracted + 1))
    echo "extracted $repo@${commit:0:12} -> $target${excludes[*]:+ (${#excludes[@]} file(s) absent from the snapshot)}"
  else
    cat "$tmp.log" >&2
    rm -rf "$tmp" "$tmp.log"
    echo "error: $repo: git archive $commit failed" >&2
    failed=1
  fi
done

echo "checkouts: $extracted extracted, $present already present, in $out"
if [[ $failed -ne 0 ]]; then
  echo "error: some repositories could not be checked out (see above)" >&2
  exit 1
fi
