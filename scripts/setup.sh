#!/usr/bin/env bash
# Installs everything the build, the CLI and the tests need on a fresh Debian 12 machine (run as root).
# Idempotent: a second run only checks.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# libopenjp2-7 and libcharls2: the JPEG 2000 and JPEG-LS decoders dicom-io calls; libopenjp2-tools (opj_*) and
# libgdcm-tools (gdcmconv): the reference decoders and encoders of the codec tests and `bench decode`
packages=(libpixelmed-java libpixelmed-imageio-java dcmtk dicom3tools orthanc orthanc-dicomweb postgresql
          libopenjp2-7 libcharls2 libopenjp2-tools libgdcm-tools
          python3-pydicom python3-numpy python3-torch python3-onnx python3-scipy python3-skimage unzip zip
          chromium chromium-driver rsyslog rsyslog-openssl openssl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Orthanc's and rsyslog's packages would start system services (4242/8042, /dev/log); tests start their own instances.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi

"$here/scripts/install-pixelmed.sh"

# PostgreSQL for the tests and the single-machine default: start Debian's cluster, create our role.
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
if [ -n "$version" ]; then
  if ! pg_lsclusters -h | awk '$4 == "online"' | grep -q .; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  if ! runuser -u postgres -- psql -tAc "select 1 from pg_roles where rolname = 'seggateway'" | grep -q 1; then
    runuser -u postgres -- psql -q -c "create role seggateway login createdb password 'seggateway'"
  fi
  for db in seggateway seggateway_test; do
    if ! runuser -u postgres -- psql -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1; then
      runuser -u postgres -- psql -q -c "create database $db owner seggateway"
    fi
  done
fi
