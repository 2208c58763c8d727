#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on the GPU machine into .gpu-check/ (git-ignored), in two parts, each small
# enough for one device call (64 MiB with the working tree, which is about 4 MB):
#
#   .gpu-check/part1/natives.tar.xz   ONNX Runtime for CUDA 13 (.gpu-natives/cuda13, scripts/fetch-gpu-natives.sh),
#                                     the CUDA provider's GPU code kept for sm_$GPU_ARCH only (default 90: H100/H200;
#                                     the other architectures' code zeroed, scripts/lib/fatbin_keep_arch.py), xz
#   .gpu-check/part2/jre.tar.xz       a Java 25 runtime (jlink of this machine's JDK: the GPU machine has no Java)
#   .gpu-check/part2/app.tar.xz       the CLI (cli/target/seg-gateway.jar) and the libraries bench infer needs; the
#                                     ONNX Runtime jar without its CPU natives (the natives come from part 1)
#
# The demo model and the Python scripts travel with the working tree; the nnU-Net-sized network is made on the GPU
# machine by its PyTorch (inference/python/make_random_unet.py). How to run the two calls: docs/operator-guide.md,
# "GPU check".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
arch=${GPU_ARCH:-90}
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out=.gpu-check
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/part1" "$out/part2"
limit=$((64 << 20))
tree=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)

# part 1: the natives
[ -f .gpu-natives/cuda13/libonnxruntime_providers_cuda.so ] || scripts/fetch-gpu-natives.sh 13
if [ ! -f "$out/part1/natives.tar.xz" ] || [ .gpu-natives/cuda13/BUILD.txt -nt "$out/part1/natives.tar.xz" ] \
   || [ "$(cat "$out/part1/ARCH" 2>/dev/null)" != "$arch-stripped" ]; then
  echo "pack-gpu-check: natives for sm_$arch (xz takes minutes)" >&2
  mkdir -p "$work/natives"
  cp -a .gpu-natives/cuda13/. "$work/natives/"
  # symbol tables out (the dynamic symbols stay), then the other architectures' GPU code zeroed
  strip --strip-unneeded "$work/natives/libonnxruntime.so.1" "$work/natives/libonnxruntime_providers_cuda.so"
  /usr/bin/python3 scripts/lib/fatbin_keep_arch.py "$work/natives/libonnxruntime_providers_cuda.so" "$arch"
  tar -C "$work" -cf - natives | xz -T0 -9 > "$out/part1/natives.tar.xz.part"
  mv "$out/part1/natives.tar.xz.part" "$out/part1/natives.tar.xz"
  echo "$arch-stripped" > "$out/part1/ARCH"
fi

# part 2: a Java runtime and the application
if [ ! -f "$out/part2/jre.tar.xz" ] || [ "$(cat "$out/part2/JRE" 2>/dev/null)" != 3 ]; then
  echo "pack-gpu-check: Java runtime" >&2
  # the modules bench infer needs (checked by running it from the pack); uncompressed modules and stripped native
  # libraries compress best with xz
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,java.net.http,jdk.unsupported \
    --strip-debug --no-header-files --no-man-pages --compress=zip-0 --output "$work/jre"
  find "$work/jre" -name '*.so' -exec strip --strip-unneeded {} +
  tar -C "$work" -cf - jre | xz -T0 -6 > "$out/part2/jre.tar.xz"
  echo 3 > "$out/part2/JRE"
fi
if [ ! -f cli/target/seg-gateway.jar ] || [ -n "$(find cli/src/main inference/src/main dicom-io/src/main -newer cli/target/seg-gateway.jar -print -quit)" ]; then
  echo "pack-gpu-check: building the CLI" >&2
  ./mvnw -B -q -o -pl cli -am package -DskipTests
fi
mkdir -p "$work/app/lib"
cp cli/target/seg-gateway.jar "$work/app/"
# what bench infer loads (the CLI's command classes included), checked by running it from the pack; not the Kafka
# clients, the database driver, PixelMed or the embedded PostgreSQL (35 MB more)
for name in picocli jackson-databind jackson-core jackson-annotations jboss-logging slf4j-api slf4j-simple dicom-io inference \
            test-volumes test-fixtures local-services; do
  cp cli/target/lib/"$name"-[0-9]*.jar "$work/app/lib/"
done
ort=$(ls cli/target/lib/onnxruntime-*.jar)
(mkdir -p "$work/ort" && cd "$work/ort" && unzip -q "$root/$ort" -x 'ai/onnxruntime/native/*' && zip -q -r "$work/app/lib/$(basename "$ort")" .)
tar -C "$work" -cf - app | xz -T0 -6 > "$out/part2/app.tar.xz"

p1=$(du -cb "$out/part1"/* | tail -n 1 | cut -f1)
p2=$(du -cb "$out/part2"/* | tail -n 1 | cut -f1)
total=$((p1 + p2 + tree))
printf 'pack-gpu-check: both parts %.1f MiB with the working tree: %s\n' "$(echo "$total / 1048576" | bc -l)" \
  "$([ $total -lt $limit ] && echo "one device call can carry .gpu-check/part1 and .gpu-check/part2" || echo "two device calls, back to back")"
for part in 1 2; do
  size=$([ $part = 1 ] && echo "$p1" || echo "$p2")
  printf 'pack-gpu-check: part %d %.1f MiB + working tree %.1f MiB = %.1f MiB of 64\n' $part \
    "$(echo "$size / 1048576" | bc -l)" "$(echo "$tree / 1048576" | bc -l)" "$(echo "($size + $tree) / 1048576" | bc -l)"
  [ $((size + tree)) -lt $limit ] || { echo "pack-gpu-check: part $part is too big for one device call" >&2; exit 1; }
done
