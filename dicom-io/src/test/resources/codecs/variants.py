"""Derives test inputs from an uncompressed single-frame grey-scale DICOM file (pydicom, numpy, opj_compress).

  variants.py signed16 IN OUT     stored values minus 1024 as signed 16-bit (Pixel Representation 1, Bits Stored 16)
  variants.py eight-bit IN OUT    stored values / 16 as unsigned 8-bit (Bits Allocated 8)
  variants.py j2k-lossy IN OUT    JPEG 2000 irreversible (1.2.840.10008.1.2.4.91) by opj_compress at 20:1
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pydicom
from pydicom.encaps import encapsulate
from pydicom.uid import UID


def signed16(ds):
    a = ds.pixel_array.astype(np.int32) - 1024
    ds.PixelRepresentation = 1
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.RescaleIntercept = 0
    ds.PixelData = a.astype("<i2").tobytes()
    for k in ("SmallestImagePixelValue", "LargestImagePixelValue"):
        if k in ds:
            del ds[k]


def eight_bit(ds):
    a = np.clip(ds.pixel_array.astype(np.int32) // 16, 0, 255)
    ds.BitsAllocated = 8
    ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.RescaleSlope = 16
    ds.PixelData = a.astype(np.uint8).tobytes()
    ds["PixelData"].VR = "OB"
    for k in ("SmallestImagePixelValue", "LargestImagePixelValue"):
        if k in ds:
            del ds[k]


def j2k_lossy(ds):
    signed = "s" if ds.PixelRepresentation == 1 else "u"
    with tempfile.TemporaryDirectory() as tmp:
        raw, j2k = os.path.join(tmp, "in.rawl"), os.path.join(tmp, "out.j2k")
        ds.pixel_array.astype("<i2" if signed == "s" else "<u2").tofile(raw)
        subprocess.run(["opj_compress", "-i", raw, "-o", j2k, "-I", "-r", "20",
                        "-F", f"{ds.Columns},{ds.Rows},1,{ds.BitsStored},{signed}"],
                       check=True, stdout=subprocess.DEVNULL)
        with open(j2k, "rb") as f:
            frame = f.read()
    ds.PixelData = encapsulate([frame])
    ds["PixelData"].VR = "OB"
    ds.file_meta.TransferSyntaxUID = UID("1.2.840.10008.1.2.4.91")
    ds.LossyImageCompression = "01"
    ds.LossyImageCompressionRatio = f"{ds.Rows * ds.Columns * 2 / len(frame):.2f}"
    ds.LossyImageCompressionMethod = "ISO_15444_1"


def main():
    what, src, dst = sys.argv[1:4]
    ds = pydicom.dcmread(src)
    {"signed16": signed16, "eight-bit": eight_bit, "j2k-lossy": j2k_lossy}[what](ds)
    if what != "j2k-lossy":
        ds.file_meta.TransferSyntaxUID = UID("1.2.840.10008.1.2.1")
    ds.save_as(dst, enforce_file_format=True) if pydicom.__version__ >= "3" else ds.save_as(dst, write_like_original=False)


main()
