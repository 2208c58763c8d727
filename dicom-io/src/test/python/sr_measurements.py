"""Walks a TID 1500 measurement report with pydicom, as a viewer would, and prints one JSON line per measurement
group, tab-separated: segment number, tracking identifier, tracking UID, finding code, referenced SEG, source series,
volume (mL), mean (HU; "-" when absent)."""
import sys

import pydicom


def concept(item):
    seq = getattr(item, "ConceptNameCodeSequence", None)
    return (seq[0].CodeValue, seq[0].CodingSchemeDesignator) if seq else None


def children(item):
    return list(getattr(item, "ContentSequence", []))


def find(items, code):
    return [i for i in items if concept(i) == code]


def main(path):
    ds = pydicom.dcmread(path)
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.22", ds.SOPClassUID
    assert concept(ds) == ("126000", "DCM"), concept(ds)
    assert ds.ContentTemplateSequence[0].TemplateIdentifier == "1500"
    [measurements] = find(children(ds), ("126010", "DCM"))
    for group in find(children(measurements), ("125007", "DCM")):
        items = children(group)
        out = {}
        out["trackingIdentifier"] = find(items, ("112039", "DCM"))[0].TextValue
        out["trackingUid"] = find(items, ("112040", "DCM"))[0].UID
        finding = find(items, ("121071", "DCM"))[0].ConceptCodeSequence[0]
        out["finding"] = finding.CodeValue
        [segment] = find(items, ("121191", "DCM"))
        assert segment.ValueType == "IMAGE"
        ref = segment.ReferencedSOPSequence[0]
        out["segSopInstanceUid"] = ref.ReferencedSOPInstanceUID
        out["segmentNumber"] = int(ref.ReferencedSegmentNumber)
        out["sourceSeries"] = find(items, ("121232", "DCM"))[0].UID
        for num in (i for i in items if i.ValueType == "NUM"):
            value = float(num.MeasuredValueSequence[0].NumericValue)
            units = num.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue
            if concept(num) == ("118565006", "SCT") and units == "mL":
                out["volumeMl"] = value
            elif concept(num) == ("112031", "DCM") and units == "[hnsf'U]":
                derivation = find(children(num), ("121401", "DCM"))[0].ConceptCodeSequence[0].CodeValue
                if derivation == "373098007":
                    out["meanHu"] = value
        print("\t".join(str(out.get(k, "-")) for k in ("segmentNumber", "trackingIdentifier", "trackingUid", "finding",
                                                       "segSopInstanceUid", "sourceSeries", "volumeMl", "meanHu")))


if __name__ == "__main__":
    main(sys.argv[1])
