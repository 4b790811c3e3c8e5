#!/usr/bin/env bash
# Points the major tag of a release (v1 for v1.4.2) at the newest stable release of that major, so
# `uses: heapgate/heapgate@v1` always runs the latest v1.x.y. It never moves the tag backwards: a
# patch release of an older minor (v1.2.5 after v1.4.2) leaves it where it is, and a prerelease
# (v1.5.0-rc.1) never moves it. Moves the tag in this clone only and prints its name (nothing for a
# prerelease); the caller pushes it (`git push --force origin refs/tags/v1`).
# Usage: scripts/move-major-tag.sh <release tag, e.g. v1.4.2>
set -euo pipefail

tag="${1:-}"
if [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+-. ]]; then
  echo "move-major-tag: $tag is a prerelease; the major tag stays where it is" >&2
  exit 0
fi
if [[ ! "$tag" =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]]; then
  echo "move-major-tag: '$tag' is not a release tag like v1.2.3" >&2
  exit 2
fi
major="v${BASH_REMATCH[1]}"
if ! git rev-parse --quiet --verify "refs/tags/$tag^{commit}" >/dev/null; then
  echo "move-major-tag: there is no tag $tag in this clone (fetch the tags first)" >&2
  exit 2
fi

newest="$(git tag --list "$major.*" | grep -E "^$major\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1)"
commit="$(git rev-parse "refs/tags/$newest^{commit}")"
git tag --force "$major" "$commit" >/dev/null
if [[ "$newest" == "$tag" ]]; then
  echo "move-major-tag: $major -> $tag (${commit:0:12})" >&2
else
  echo "move-major-tag: $major stays at $newest (${commit:0:12}), the newest $major release; $tag is older" >&2
fi
echo "$major"
