#!/usr/bin/env bash
# The GPU check, run on a GPU machine from the repository root (docs/operator-guide.md, "GPU check"). Needs what
# scripts/pack-gpu-check.sh wrote into .gpu-check/, NVIDIA's driver, CUDA 13 and cuDNN 9 (Python's nvidia-* packages
# do) and a python3 with PyTorch; no registry. Prints the figures and writes them to $OUT/gpu-check.log (or
# .gpu-check/gpu-check.log).
#
#   scripts/gpu-check.sh unpack     unpack what was carried (part 1 and/or part 2) into .gpu-check/run and stop
#   scripts/gpu-check.sh [STEP...]  unpack what was carried, then run the steps (default: all, in this order):
#     demo   the demo model on CUDA: a CUDA session opens; equivalence with the CPU on a 512x512x300 CT
#     fp32   the nnU-Net-sized network on the same CT: Java + ONNX Runtime CUDA beside PyTorch eager on the same GPU
#            (same weights, windows and batch), FP32: windows/s, s per CT, GPU memory peak, utilisation, share of the
#            measured FP32 and TF32 MatMul rates, window loop outside the network
#     tf32   the same with TF32 on both sides
#     cpu    the nnU-Net-sized network's equivalence with the CPU (probabilities within 1e-3, labels < 0.01 %; the CPU
#            run takes minutes)
#
# Every step has a time limit (GPU_CHECK_TIMEOUT seconds, default 280) and the whole run one too (GPU_CHECK_SECONDS,
# default 570, under the device tool's 600 s per command): a step gets what is left, so that the figures of the steps
# before it always come back. Steps left out for lack of time are named at the end: run them in another call.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
run=.gpu-check/run
log=${OUT:-.gpu-check}/gpu-check.log
mkdir -p "$run" "$(dirname "$log")"
exec > >(tee -a "$log") 2>&1

unpack() {  # part file target
  if [ -f "$1" ] && { [ ! -e "$run/$2" ] || [ "$1" -nt "$run/$2.unpacked" ]; }; then
    echo "gpu-check: unpacking $1"
    rm -rf "${run:?}/$2"
    xz -dc "$1" | tar -C "$run" -xf - || { echo "gpu-check: cannot unpack $1"; exit 1; }
    touch "$run/$2.unpacked"
  fi
}
unpack .gpu-check/part1/natives.tar.xz natives
unpack .gpu-check/part2/jre.tar.xz jre
unpack .gpu-check/part2/app.tar.xz app
[ "${1-}" = unpack ] && { echo "gpu-check: unpacked: $(ls "$run" | tr '\n' ' ')"; exit 0; }
for need in natives jre app; do
  [ -d "$run/$need" ] || { echo "gpu-check: $run/$need missing: carry .gpu-check/part1 (natives) and .gpu-check/part2 (jre, app), \
in one call or in two back to back (the first with 'scripts/gpu-check.sh unpack')"; exit 1; }
done

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(demo fp32 tf32 cpu)
python=$(command -v python3)
export SEG_GATEWAY_PYTHON=$python
step_limit=${GPU_CHECK_TIMEOUT:-280}
budget=${GPU_CHECK_SECONDS:-570}
java() {
  local limit=$((budget - SECONDS))
  [ $limit -gt "$step_limit" ] && limit=$step_limit
  # the pack's ONNX Runtime jar has no natives of its own: the CUDA 13 build serves the CPU runs too
  timeout "$limit" "$run/jre/bin/java" -Xmx48g --enable-native-access=ALL-UNNAMED -Donnxruntime.native.path="$root/$run/natives" \
    -Dorg.jboss.logging.provider=jdk -Dseggateway.python="$python" \
    -Dseg-gateway.home="$root" -cp "$run/app/seg-gateway.jar:$run/app/lib/*" org.seggateway.cli.SegGateway "$@"
  local rc=$?
  [ $rc = 124 ] && echo "gpu-check: step stopped after $limit s (GPU_CHECK_TIMEOUT)"
  return $rc
}
cuda=(--provider cuda --cuda 13 --ort-natives "$root/$run/natives")

echo "== gpu-check $(date -u +%FT%TZ) on $(hostname)"
nvidia-smi --query-gpu=index,name,memory.total,memory.used,driver_version,clocks.max.sm --format=csv || true
"$python" -c 'import torch; print("python", __import__("sys").version.split()[0], "torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version(), torch.cuda.get_device_name(0))' || true
echo "ONNX Runtime natives: $(cat "$run/natives/BUILD.txt" 2>/dev/null)"

nnunet=$run/nnunet
need_nnunet() {
  [ -f "$nnunet/model.json" ] && return 0
  echo "== nnU-Net-sized network (random weights) for the benchmark"
  "$python" inference/python/make_random_unet.py --out "$nnunet" || return 1
}

diagnose() {
  echo "gpu-check: the CUDA session did not open; the provider's libraries as the loader sees them with Python's nvidia packages:"
  libs=$("$python" -c 'import glob, site; print(":".join(sorted(set(d for s in site.getsitepackages() for d in glob.glob(s + "/nvidia/*/lib")))))')
  LD_LIBRARY_PATH=$run/natives:$libs ldd "$run/natives/libonnxruntime_providers_cuda.so" | grep -E "not found|cuda|cublas|cudnn" || true
}

skipped=()
for step in "${steps[@]}"; do
  if [ $((budget - SECONDS)) -lt 30 ]; then skipped+=("$step"); continue; fi
  case $step in
    demo)
      echo "== demo model: CUDA session, equivalence with the CPU (512x512x300 CT)"
      java bench infer --model models/demo-abdomen-unet "${cuda[@]}" --compare-cpu --no-torch || diagnose ;;
    fp32)
      need_nnunet && { echo "== nnU-Net-sized network, FP32: Java + ONNX Runtime CUDA beside PyTorch eager"
      java bench infer --model "$nnunet" "${cuda[@]}"; } ;;
    tf32)
      need_nnunet && { echo "== nnU-Net-sized network, TF32 on both sides"
      java bench infer --model "$nnunet" "${cuda[@]}" --cuda-tf32; } ;;
    cpu)
      need_nnunet && { echo "== nnU-Net-sized network: equivalence with the CPU (FP32)"
      java bench infer --model "$nnunet" "${cuda[@]}" --compare-cpu --no-torch; } ;;
    *) echo "gpu-check: unknown step $step (demo, fp32, tf32, cpu)"; exit 2 ;;
  esac
done
nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv || true
[ ${#skipped[@]} -gt 0 ] && echo "gpu-check: no time left for: ${skipped[*]} (run scripts/gpu-check.sh ${skipped[*]} in another call)"
echo "== gpu-check done in $SECONDS s; log: $log"
