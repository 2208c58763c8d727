package org.seggateway.dicomio.synthetic;

import static org.seggateway.dicomio.synthetic.Attributes.code;
import static org.seggateway.dicomio.synthetic.Attributes.sequence;
import static org.seggateway.dicomio.synthetic.Attributes.set;
import static org.seggateway.dicomio.synthetic.Attributes.tag;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;

/** The modules and functional groups of the Enhanced CT Image IOD that {@link SyntheticSeries#writeEnhanced} adds. */
final class EnhancedCt {
    private static final String ACQUISITION_DATE_TIME = "20240101120030";
    private static final String[] FRAME_TYPE = {"ORIGINAL", "PRIMARY", "VOLUME", "NONE"};
    private static final String DIMENSION_ORGANIZATION = Uids.next();

    private EnhancedCt() {}

    /** Top-level attributes: SOP class, enhanced image, equipment, dimension and acquisition context modules. */
    static void addModules(AttributeList l, SyntheticSeries s, int frames) throws DicomException {
        set(l, "SOPClassUID", SOPClass.EnhancedCTImageStorage);
        set(l, "ImageType", FRAME_TYPE);
        set(l, "PixelPresentation", "MONOCHROME");
        set(l, "VolumetricProperties", "VOLUME");
        set(l, "VolumeBasedCalculationTechnique", "NONE");
        set(l, "AcquisitionDateTime", ACQUISITION_DATE_TIME);
        set(l, "AcquisitionDuration", "10");
        set(l, "ContentQualification", "RESEARCH");
        set(l, "BurnedInAnnotation", "NO");
        set(l, "RecognizableVisualFeatures", "NO");
        set(l, "LossyImageCompression", "00");
        set(l, "PresentationLUTShape", "IDENTITY");
        set(l, "NumberOfFrames", Integer.toString(frames));
        set(l, "ManufacturerModelName", "SyntheticSeries");
        set(l, "DeviceSerialNumber", "0001");
        set(l, "SoftwareVersions", "seg-gateway synthetic 1");
        sequence(l, "AcquisitionContextSequence");
        AttributeList organization = set(new AttributeList(), "DimensionOrganizationUID", DIMENSION_ORGANIZATION);
        sequence(l, "DimensionOrganizationSequence", organization);
        AttributeList index = new AttributeList();
        index.put(tagAttribute("DimensionIndexPointer", "ImagePositionPatient"));
        index.put(tagAttribute("FunctionalGroupPointer", "PlanePositionSequence"));
        set(index, "DimensionOrganizationUID", DIMENSION_ORGANIZATION);
        set(index, "DimensionDescriptionLabel", "Image Position");
        sequence(l, "DimensionIndexSequence", index);
    }

    /** Functional groups common to all frames. */
    static SequenceAttribute sharedGroups(SyntheticSeries s) throws DicomException {
        AttributeList g = new AttributeList();
        sequence(g, "PixelMeasuresSequence", set(set(new AttributeList(), "PixelSpacing", SyntheticSeries.ds(s.pixelSpacing())),
                "SliceThickness", SyntheticSeries.ds(s.sliceSpacing())));
        sequence(g, "PlaneOrientationSequence", set(new AttributeList(), "ImageOrientationPatient", SyntheticSeries.ds(s.orientation())));
        sequence(g, "PixelValueTransformationSequence", set(set(set(new AttributeList(),
                "RescaleIntercept", "-1024"), "RescaleSlope", "1"), "RescaleType", "HU"));
        sequence(g, "FrameVOILUTSequence", set(set(new AttributeList(), "WindowCenter", "40"), "WindowWidth", "400"));
        AttributeList anatomy = set(new AttributeList(), "FrameLaterality", "U");
        sequence(anatomy, "AnatomicRegionSequence", code("818981001", "SCT", "Abdomen"));
        sequence(g, "FrameAnatomySequence", anatomy);
        sequence(g, "IrradiationEventIdentificationSequence",
                set(new AttributeList(), "IrradiationEventUID", Uids.next()));
        sequence(g, "CTImageFrameTypeSequence", set(set(set(set(new AttributeList(), "FrameType", FRAME_TYPE),
                "PixelPresentation", "MONOCHROME"), "VolumetricProperties", "VOLUME"), "VolumeBasedCalculationTechnique", "NONE"));
        sequence(g, "CTAcquisitionTypeSequence", set(set(set(new AttributeList(), "AcquisitionType", "SPIRAL"),
                "ConstantVolumeFlag", "NO"), "FluoroscopyFlag", "NO"));
        AttributeList details = new AttributeList();
        set(details, "DataCollectionDiameter", "500");
        set(details, "GantryDetectorTilt", SyntheticSeries.ds(s.gantryTiltDegrees()));
        set(details, "TableHeight", "150");
        set(details, "RotationDirection", "CW");
        set(details, "RevolutionTime", "0.5");
        set(details, "SingleCollimationWidth", "0.625");
        set(details, "TotalCollimationWidth", "40");
        sequence(g, "CTAcquisitionDetailsSequence", details);
        sequence(g, "CTTableDynamicsSequence", set(set(set(new AttributeList(), "TableSpeed", "80"),
                "TableFeedPerRotation", "40"), "SpiralPitchFactor", "1"));
        sequence(g, "CTGeometrySequence", set(set(new AttributeList(), "DistanceSourceToDetector", "1040"),
                "DistanceSourceToDataCollectionCenter", "570"));
        double fov = Math.max(s.rows() * s.pixelSpacing()[0], s.columns() * s.pixelSpacing()[1]);
        AttributeList reconstruction = new AttributeList();
        set(reconstruction, "ReconstructionAlgorithm", "FILTER_BACK_PROJ");
        set(reconstruction, "ConvolutionKernel", "STANDARD");
        set(reconstruction, "ConvolutionKernelGroup", "SOFT_TISSUE");
        set(reconstruction, "ReconstructionDiameter", SyntheticSeries.ds(fov));
        set(reconstruction, "ReconstructionPixelSpacing", SyntheticSeries.ds(s.pixelSpacing()));
        set(reconstruction, "ReconstructionAngle", "360");
        set(reconstruction, "ImageFilter", "NONE");
        sequence(g, "CTReconstructionSequence", reconstruction);
        AttributeList exposure = new AttributeList();
        set(exposure, "ExposureTimeInms", "500");
        set(exposure, "XRayTubeCurrentInmA", "200");
        set(exposure, "ExposureInmAs", "100");
        set(exposure, "ExposureModulationType", "NONE");
        set(exposure, "CTDIvol", "10");
        sequence(exposure, "CTDIPhantomTypeCodeSequence", code("113691", "DCM", "IEC Body Dosimetry Phantom"));
        sequence(g, "CTExposureSequence", exposure);
        sequence(g, "CTXRayDetailsSequence", set(set(set(set(new AttributeList(), "KVP", "120"),
                "FocalSpots", "1"), "FilterType", "BODY"), "FilterMaterial", "ALUMINUM"));
        SequenceAttribute shared = new SequenceAttribute(tag("SharedFunctionalGroupsSequence"));
        shared.addItem(g);
        return shared;
    }

    /** The functional groups of one frame: where it is, and its place in the dimension index. */
    static AttributeList perFrameItem(double[] position, int positionIndex)
            throws DicomException {
        AttributeList g = new AttributeList();
        AttributeList content = new AttributeList();
        set(content, "FrameAcquisitionNumber", "1");
        set(content, "FrameReferenceDateTime", ACQUISITION_DATE_TIME);
        set(content, "FrameAcquisitionDateTime", ACQUISITION_DATE_TIME);
        set(content, "FrameAcquisitionDuration", "500");
        var dimension = com.pixelmed.dicom.AttributeFactory.newAttribute(tag("DimensionIndexValues"));
        dimension.addValue(positionIndex);
        content.put(dimension);
        sequence(g, "FrameContentSequence", content);
        sequence(g, "PlanePositionSequence", set(new AttributeList(), "ImagePositionPatient", SyntheticSeries.ds(position)));
        AttributeList ctPosition = new AttributeList();
        set(ctPosition, "TablePosition", SyntheticSeries.ds(-position[2]));
        set(ctPosition, "ReconstructionTargetCenterPatient", SyntheticSeries.ds(0, 0, position[2]));
        set(ctPosition, "DataCollectionCenterPatient", SyntheticSeries.ds(0, 0, position[2]));
        sequence(g, "CTPositionSequence", ctPosition);
        return g;
    }

    private static com.pixelmed.dicom.AttributeTagAttribute tagAttribute(String keyword, String pointsTo) throws DicomException {
        var a = new com.pixelmed.dicom.AttributeTagAttribute(tag(keyword));
        a.addValue(tag(pointsTo));
        return a;
    }
}
