#!/usr/bin/python3
"""Independent read-back of a BINARY DICOM SEG with pydicom + numpy.

Usage: seg_roundtrip.py SEG.dcm SOURCE_DIR OUT.raw

Rebuilds the label map on the source grid from the SEG alone and the source files: the source slices
(single-frame instances, or frames of multi-frame ones) are sorted along the slice normal to give each a
z index; every SEG frame is placed by its Source Image reference (instance + frame number), never by its
position in the frame order, and its Plane Position must equal the referenced slice's Image Position
(Patient). Writes the label map as raw uint8, x fastest, then y, then z. Prints a JSON summary; exits 1
with one line per problem when anything does not match.
"""
import json
import os
import sys

import numpy as np
import pydicom

TOLERANCE_MM = 1e-3


def floats(values):
    return np.array([float(v) for v in values], dtype=np.float64)


def first_item(dataset, keyword):
    sequence = getattr(dataset, keyword, None)
    return sequence[0] if sequence else None


def frame_attribute(shared, per_frame, sequence_keyword, attribute):
    for groups in (per_frame, shared):
        if groups is None:
            continue
        item = first_item(groups, sequence_keyword)
        if item is not None and attribute in item:
            return item[attribute].value
    return None


def source_slices(directory):
    """(sop uid, frame number or 0) -> (position, orientation, rows, columns) for every image in the folder."""
    slices = {}
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            try:
                ds = pydicom.dcmread(path, stop_before_pixels=True)
            except Exception:
                continue
            if "PerFrameFunctionalGroupsSequence" in ds:
                shared = first_item(ds, "SharedFunctionalGroupsSequence")
                for number, groups in enumerate(ds.PerFrameFunctionalGroupsSequence, start=1):
                    position = frame_attribute(shared, groups, "PlanePositionSequence", "ImagePositionPatient")
                    orientation = frame_attribute(shared, groups, "PlaneOrientationSequence", "ImageOrientationPatient")
                    slices[(ds.SOPInstanceUID, number)] = (floats(position), floats(orientation), ds.Rows, ds.Columns)
            elif "ImagePositionPatient" in ds:
                image_type = [str(v) for v in getattr(ds, "ImageType", [])]
                if "LOCALIZER" in image_type:
                    continue
                slices[(ds.SOPInstanceUID, 0)] = (floats(ds.ImagePositionPatient), floats(ds.ImageOrientationPatient),
                                                  ds.Rows, ds.Columns)
    return slices


def main(seg_path, source_dir, out_path):
    problems = []
    seg = pydicom.dcmread(seg_path)
    if seg.SOPClassUID != "1.2.840.10008.5.1.4.1.1.66.4" or seg.SegmentationType != "BINARY" or seg.BitsAllocated != 1:
        problems.append(f"not a BINARY Segmentation Storage object: {seg.SOPClassUID} {seg.SegmentationType}")
    rows, columns, frames = int(seg.Rows), int(seg.Columns), int(seg.NumberOfFrames)
    shared = first_item(seg, "SharedFunctionalGroupsSequence")
    seg_orientation = floats(first_item(shared, "PlaneOrientationSequence").ImageOrientationPatient)
    normal = np.cross(seg_orientation[:3], seg_orientation[3:])

    sources = {key: value for key, value in source_slices(source_dir).items()
               if np.allclose(value[1], seg_orientation, atol=1e-6)}
    if not sources:
        print(f"no source slice in {source_dir} has the SEG's orientation {seg_orientation}", file=sys.stderr)
        return 1
    ordered = sorted(sources, key=lambda key: float(np.dot(sources[key][0], normal)))
    z_of = {key: z for z, key in enumerate(ordered)}
    for key in ordered:
        if sources[key][2] != rows or sources[key][3] != columns:
            problems.append(f"source {key} is {sources[key][2]}x{sources[key][3]}, SEG frames are {rows}x{columns}")

    bits = np.unpackbits(np.frombuffer(seg.PixelData, dtype=np.uint8), bitorder="little")
    if bits.size < rows * columns * frames:
        problems.append(f"pixel data holds {bits.size} bits, {frames} frames need {rows * columns * frames}")
    masks = bits[: rows * columns * frames].reshape(frames, rows, columns)

    segment_numbers = {int(item.SegmentNumber) for item in seg.SegmentSequence}
    labels = np.zeros((len(ordered), rows, columns), dtype=np.uint8)
    voxels = {}
    for index, groups in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(groups.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        if number not in segment_numbers:
            problems.append(f"frame {index + 1}: segment {number} is not in the Segment Sequence")
        reference = groups.DerivationImageSequence[0].SourceImageSequence[0]
        key = (reference.ReferencedSOPInstanceUID, int(getattr(reference, "ReferencedFrameNumber", 0) or 0))
        if key not in z_of:
            problems.append(f"frame {index + 1}: references {key}, not a slice of the source series")
            continue
        z = z_of[key]
        position = floats(groups.PlanePositionSequence[0].ImagePositionPatient)
        if not np.allclose(position, sources[key][0], atol=TOLERANCE_MM, rtol=0):
            problems.append(f"frame {index + 1}: position {position} != referenced source position {sources[key][0]}")
        mask = masks[index].astype(bool)
        if np.any(labels[z][mask] != 0):
            problems.append(f"frame {index + 1}: segment {number} overlaps another segment on slice {z}")
        labels[z][mask] = number
        voxels[number] = voxels.get(number, 0) + int(mask.sum())

    labels.tofile(out_path)
    print(json.dumps({"frames": frames, "slices": len(ordered), "rows": rows, "columns": columns,
                      "voxelsPerSegment": {str(k): v for k, v in sorted(voxels.items())},
                      "problems": len(problems)}))
    for problem in problems[:50]:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
