#!/usr/bin/env bash
# Fetches the native ONNX Runtime libraries a GPU worker needs from Maven Central into .gpu-natives/ (git-ignored;
# never commit them: the CUDA provider alone is 240-370 MB). Only the linux-x64 libraries are read out of the jars,
# with HTTP range requests (scripts/lib/remote_zip.py), so the other platforms' hundreds of MB are not downloaded.
#
#   scripts/fetch-gpu-natives.sh [12|13|all]     (default all)
#
# .gpu-natives/cuda12/  ONNX Runtime ${onnxruntime.version} for CUDA 12 + cuDNN 9: the linux-x64 natives of
#                       com.microsoft.onnxruntime:onnxruntime_gpu (the same build the -Pgpu profile puts on the class path)
# .gpu-natives/cuda13/  ONNX Runtime for CUDA 13 + cuDNN 9: libonnxruntime.so.1 and its CUDA provider from
#                       org.bytedeco:onnxruntime:${BYTEDECO_ORT}:linux-x86_64-gpu, driven by the official Java API through
#                       libonnxruntime4j_jni.so of onnxruntime_gpu ${onnxruntime.version} (the JNI library of the Java classes
#                       on the class path; it calls ONNX Runtime's versioned C API, which newer cores keep serving)
#
# The worker loads a folder with -Donnxruntime.native.path or its --ort-natives option (docs/operator-guide.md,
# "GPU workers"); with --cuda auto it picks cuda12/ or cuda13/ from the libcudart it finds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
which=${1:-all}
ort=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' "$root/pom.xml" | head -n 1)
bytedeco=${BYTEDECO_ORT:-1.28.0-1.5.14}
out=${GPU_NATIVES:-$root/.gpu-natives}
central=${MAVEN_CENTRAL:-https://repo1.maven.org/maven2}
gpu_jar="$central/com/microsoft/onnxruntime/onnxruntime_gpu/$ort/onnxruntime_gpu-$ort.jar"
bd_jar="$central/org/bytedeco/onnxruntime/$bytedeco/onnxruntime-$bytedeco-linux-x86_64-gpu.jar"
ms=ai/onnxruntime/native/linux-x64
bd=org/bytedeco/onnxruntime/linux-x86_64-gpu
mkdir -p "$out"

fetch() {  # folder url entry=name...
  local folder=$1 url=$2; shift 2
  echo "fetch-gpu-natives: $url -> $folder" >&2
  "$py" "$root/scripts/lib/remote_zip.py" extract "$url" "$folder" "$@"
  echo "$url" >> "$folder/SOURCES.txt"
}

if [ "$which" = 12 ] || [ "$which" = all ]; then
  d="$out/cuda12"
  if [ -f "$d/libonnxruntime_providers_cuda.so" ] && grep -qF "$gpu_jar" "$d/SOURCES.txt" 2>/dev/null; then
    echo "fetch-gpu-natives: $d is there" >&2
  else
    rm -rf "$d"
    fetch "$d" "$gpu_jar" "$ms/libonnxruntime.so=libonnxruntime.so" "$ms/libonnxruntime4j_jni.so=libonnxruntime4j_jni.so" \
      "$ms/libonnxruntime_providers_shared.so=libonnxruntime_providers_shared.so" \
      "$ms/libonnxruntime_providers_cuda.so=libonnxruntime_providers_cuda.so"
    echo "cuda=12 ort=$ort" > "$d/BUILD.txt"
  fi
fi
if [ "$which" = 13 ] || [ "$which" = all ]; then
  d="$out/cuda13"
  if [ -f "$d/libonnxruntime_providers_cuda.so" ] && grep -qF "$bd_jar" "$d/SOURCES.txt" 2>/dev/null; then
    echo "fetch-gpu-natives: $d is there" >&2
  else
    rm -rf "$d"
    fetch "$d" "$bd_jar" "$bd/libonnxruntime.so.1=libonnxruntime.so.1" \
      "$bd/libonnxruntime_providers_shared.so=libonnxruntime_providers_shared.so" \
      "$bd/libonnxruntime_providers_cuda.so=libonnxruntime_providers_cuda.so"
    fetch "$d" "$gpu_jar" "$ms/libonnxruntime4j_jni.so=libonnxruntime4j_jni.so"
    # the Java API loads "libonnxruntime.so" by name; the JNI library and the provider need "libonnxruntime.so.1"
    ln -sf libonnxruntime.so.1 "$d/libonnxruntime.so"
    echo "cuda=13 ort=${bytedeco%%-*} jni=$ort" > "$d/BUILD.txt"
  fi
fi
for d in "$out"/cuda*; do
  [ -d "$d" ] && echo "$d: $(du -sh "$d" | cut -f1) ($(cat "$d/BUILD.txt"))"
done
