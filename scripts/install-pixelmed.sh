#!/usr/bin/env bash
# Puts Debian's PixelMed jar (libpixelmed-java) into the git-ignored in-project Maven repository .repo/,
# with the manifest's Class-Path removed: that entry silently loads slf4j-jdk14, vecmath, hsqldb ... from
# /usr/share/java on Debian hosts. Also the ImageIO plugin (JPEG lossless decoding). Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo="$here/.repo"

strip_class_path() { # in out
  local in=$1 out=$2 work; work=$(mktemp -d)
  mkdir -p "$work/META-INF"
  unzip -p "$in" META-INF/MANIFEST.MF | tr -d '\r' | grep -v -E '^(Class-Path:| )' > "$work/META-INF/MANIFEST.MF"
  cp "$in" "$out.tmp"
  (cd "$work" && zip -q "$out.tmp" META-INF/MANIFEST.MF)
  rm -rf "$work"
  mv "$out.tmp" "$out"
}

install() { # source-jar groupId artifactId version
  local src=$1 group=$2 artifact=$3 version=$4
  local dir="$repo/${group//.//}/$artifact/$version"
  local jar="$dir/$artifact-$version.jar"
  [ -f "$src" ] || { echo "install-pixelmed: $src is missing (is its Debian package installed?)" >&2; exit 1; }
  [ -f "$jar" ] && [ "$jar" -nt "$src" ] && return 0
  mkdir -p "$dir"
  strip_class_path "$src" "$jar"
  cat > "$dir/$artifact-$version.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <description>From Debian's package, manifest Class-Path removed by scripts/install-pixelmed.sh</description>
</project>
POM
  echo "install-pixelmed: $group:$artifact:$version -> $jar"
}

install /usr/share/java/pixelmed.jar com.pixelmed pixelmed 20220618
install /usr/share/java/pixelmed_imageio.jar com.pixelmed pixelmed-imageio 20200328
