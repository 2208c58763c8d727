package org.seggateway.dicomio.synthetic;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DateAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.PersonNameAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TimeAttribute;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes synthetic single-frame CT or MR series of the {@link Phantom} with realistic headers, for tests,
 * benchmarks and the bundled sample. The volume is centred on the patient origin; slices are written as
 * {@code IMG0001.dcm ...} in slice order (or reversed), Explicit VR Little Endian.
 */
public final class SyntheticSeries {

    public enum Modality { CT, MR }

    /** What was written. {@code sopInstanceUids} are in slice order along the normal, skipped slices left out. */
    public record Written(Path directory, String studyInstanceUid, String seriesInstanceUid,
                          String frameOfReferenceUid, List<String> sopInstanceUids, List<Path> files, long bytes) {}

    private Modality modality = Modality.CT;
    private int rows = 512, columns = 512, slices = 300;
    private double rowSpacing = 0.7, columnSpacing = 0.7, sliceSpacing = 1.0;
    private double[] orientation = {1, 0, 0, 0, 1, 0};
    private double noiseSigma = 10;
    private long seed = 42;
    private int missingSlice = -1;
    private boolean reverseFileOrder;
    private boolean withLocalizer;
    private double gantryTiltDegrees;
    private String patientName = "Synthetic^Phantom", patientId = "PHANTOM001", accessionNumber = "ACC0001";
    private String studyInstanceUid;
    private final Phantom phantom = Phantom.standard();

    public static SyntheticSeries ct() {
        return new SyntheticSeries();
    }

    public static SyntheticSeries mr() {
        SyntheticSeries s = new SyntheticSeries();
        s.modality = Modality.MR;
        s.rows = s.columns = 256;
        s.slices = 60;
        s.rowSpacing = s.columnSpacing = 1.2;
        s.sliceSpacing = 3.0;
        return s;
    }

    public SyntheticSeries size(int rows, int columns, int slices) {
        this.rows = rows;
        this.columns = columns;
        this.slices = slices;
        return this;
    }

    public SyntheticSeries spacing(double rowSpacing, double columnSpacing, double sliceSpacing) {
        this.rowSpacing = rowSpacing;
        this.columnSpacing = columnSpacing;
        this.sliceSpacing = sliceSpacing;
        return this;
    }

    /** Image Orientation (Patient): row direction cosines then column direction cosines. */
    public SyntheticSeries orientation(double... rowThenColumn) {
        if (rowThenColumn.length != 6) throw new IllegalArgumentException("orientation needs 6 values");
        this.orientation = rowThenColumn.clone();
        return this;
    }

    public SyntheticSeries noise(double sigma, long seed) {
        this.noiseSigma = sigma;
        this.seed = seed;
        return this;
    }

    /** Leaves out slice {@code index} (0-based), as a series with a lost instance. */
    public SyntheticSeries missingSlice(int index) {
        this.missingSlice = index;
        return this;
    }

    /** Names files so that directory order is the reverse of slice order. */
    public SyntheticSeries reverseFileOrder() {
        this.reverseFileOrder = true;
        return this;
    }

    /** Adds a coronal LOCALIZER image to the same series, as some scanners do. */
    public SyntheticSeries withLocalizer() {
        this.withLocalizer = true;
        return this;
    }

    /**
     * Shifts slice k by k x slice spacing x tan(degrees) along the column direction, as a tilted CT gantry
     * does: positions no longer lie along the slice normal. Also records Gantry/Detector Tilt.
     */
    public SyntheticSeries gantryTilt(double degrees) {
        this.gantryTiltDegrees = degrees;
        return this;
    }

    /** The noise-free modality value (CT: HU, MR: signal) this series samples at a patient position (mm). */
    public double valueAt(double x, double y, double z) {
        return modality == Modality.CT ? phantom.houndsfieldAt(x, y, z) : mrSignal(phantom.labelAt(x, y, z), phantom.inBody(x, y));
    }

    public SyntheticSeries patient(String name, String id, String accession) {
        this.patientName = name;
        this.patientId = id;
        this.accessionNumber = accession;
        return this;
    }

    /** Puts the series into an existing study. */
    public SyntheticSeries study(String studyInstanceUid) {
        this.studyInstanceUid = studyInstanceUid;
        return this;
    }

    public Written write(Path directory) throws IOException {
        Files.createDirectories(directory);
        String study = studyInstanceUid != null ? studyInstanceUid : Uids.next();
        String series = Uids.next(), frameOfReference = Uids.next();
        List<String> sopUids = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        long bytes = 0;
        SplittableRandom random = new SplittableRandom(seed);
        for (int z = 0; z < slices; z++) {
            if (z == missingSlice) continue;
            double[] position = slicePosition(z);
            String sop = Uids.next();
            AttributeList list = header(study, series, frameOfReference, sop, z + 1, position, orientation,
                    rows, columns, "AXIAL");
            list.put(pixels(position, orientation, rows, columns, random));
            int fileNumber = reverseFileOrder ? slices - z : z + 1;
            Path file = directory.resolve(String.format(Locale.ROOT, "IMG%04d.dcm", fileNumber));
            bytes += write(list, file);
            sopUids.add(sop);
            files.add(file);
        }
        if (withLocalizer) {
            double[] coronal = {1, 0, 0, 0, 0, -1};
            double[] position = {-columns * columnSpacing / 2, 0, slices * sliceSpacing / 2};
            AttributeList list = header(study, series, frameOfReference, Uids.next(), slices + 1, position, coronal,
                    rows, columns, "LOCALIZER");
            list.put(pixels(position, coronal, rows, columns, random));
            Path file = directory.resolve("LOCALIZER.dcm");
            bytes += write(list, file);
            files.add(file);
        }
        return new Written(directory, study, series, frameOfReference, List.copyOf(sopUids), List.copyOf(files), bytes);
    }

    /**
     * Writes the series as one Enhanced CT Image Storage instance, {@code ENHANCED.dcm} in the folder:
     * Shared Functional Groups hold pixel measures, orientation, value transformation and the CT
     * acquisition macros; each frame's Per-frame item holds its position and frame content. Frames are in
     * slice order (reversed with {@link #reverseFileOrder()}); {@link #missingSlice} leaves a frame out.
     * CT only; the localizer option does not apply.
     */
    public Written writeEnhanced(Path directory) throws IOException {
        if (modality != Modality.CT) throw new IllegalStateException("the enhanced multi-frame writer makes CT only");
        Files.createDirectories(directory);
        String study = studyInstanceUid != null ? studyInstanceUid : Uids.next();
        String series = Uids.next(), frameOfReference = Uids.next(), sop = Uids.next();
        List<Integer> sliceOrder = new ArrayList<>();
        for (int z = 0; z < slices; z++) if (z != missingSlice) sliceOrder.add(z);
        if (reverseFileOrder) java.util.Collections.reverse(sliceOrder);
        SplittableRandom random = new SplittableRandom(seed);
        short[] all = new short[sliceOrder.size() * rows * columns];
        try {
            AttributeList l = header(study, series, frameOfReference, sop, 1, slicePosition(0), orientation, rows, columns, "AXIAL");
            for (String keyword : List.of("ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing", "SliceThickness",
                    "RescaleIntercept", "RescaleSlope", "RescaleType", "WindowCenter", "WindowWidth", "KVP", "GantryDetectorTilt"))
                l.remove(tag(keyword));
            EnhancedCt.addModules(l, this, sliceOrder.size());
            SequenceAttribute perFrame = new SequenceAttribute(tag("PerFrameFunctionalGroupsSequence"));
            for (int f = 0; f < sliceOrder.size(); f++) {
                int z = sliceOrder.get(f);
                double[] position = slicePosition(z);
                int positionIndex = reverseFileOrder ? sliceOrder.size() - f : f + 1; // 1-based rank along the normal
                perFrame.addItem(EnhancedCt.perFrameItem(position, positionIndex));
                System.arraycopy(pixelValues(position, orientation, rows, columns, random), 0, all, f * rows * columns, rows * columns);
            }
            l.put(perFrame);
            l.put(EnhancedCt.sharedGroups(this));
            OtherWordAttribute pd = new OtherWordAttribute(tag("PixelData"));
            pd.setValues(all);
            l.put(pd);
            Path file = directory.resolve("ENHANCED.dcm");
            long bytes = write(l, file);
            return new Written(directory, study, series, frameOfReference, List.of(sop), List.of(file), bytes);
        } catch (DicomException e) {
            throw new IOException(e);
        }
    }

    Modality modality() {
        return modality;
    }

    int rows() {
        return rows;
    }

    int columns() {
        return columns;
    }

    double[] pixelSpacing() {
        return new double[] {rowSpacing, columnSpacing};
    }

    double sliceSpacing() {
        return sliceSpacing;
    }

    double[] orientation() {
        return orientation.clone();
    }

    double gantryTiltDegrees() {
        return gantryTiltDegrees;
    }

    /** Image Position (Patient) of slice z: the volume is centred on the patient origin. */
    private double[] slicePosition(int z) {
        double[] normal = cross(orientation);
        double tilt = Math.tan(Math.toRadians(gantryTiltDegrees));
        double[] position = new double[3];
        for (int r = 0; r < 3; r++) {
            double origin = -(orientation[r] * columnSpacing * (columns - 1) + orientation[3 + r] * rowSpacing * (rows - 1)
                    + normal[r] * sliceSpacing * (slices - 1)) / 2;
            position[r] = origin + normal[r] * sliceSpacing * z + orientation[3 + r] * sliceSpacing * z * tilt;
        }
        return position;
    }

    private OtherWordAttribute pixels(double[] position, double[] iop, int rows, int columns, SplittableRandom random)
            throws IOException {
        try {
            OtherWordAttribute pd = new OtherWordAttribute(tag("PixelData"));
            pd.setValues(pixelValues(position, iop, rows, columns, random));
            return pd;
        } catch (DicomException e) {
            throw new IOException(e);
        }
    }

    private short[] pixelValues(double[] position, double[] iop, int rows, int columns, SplittableRandom random) {
        short[] px = new short[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                double x = position[0] + iop[0] * columnSpacing * c + iop[3] * rowSpacing * r;
                double y = position[1] + iop[1] * columnSpacing * c + iop[4] * rowSpacing * r;
                double z = position[2] + iop[2] * columnSpacing * c + iop[5] * rowSpacing * r;
                double value = valueAt(x, y, z) + (modality == Modality.CT ? 1024 : 0) + gaussian(random) * noiseSigma;
                px[r * columns + c] = (short) Math.max(0, Math.min(4095, Math.round(value)));
            }
        }
        return px;
    }

    private static double mrSignal(int label, boolean inBody) {
        return switch (label) {
            case Phantom.LESION -> 1400;
            case Phantom.LIVER -> 900;
            default -> inBody ? 500 : 0;
        };
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on every JDK we run on
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private AttributeList header(String study, String series, String frameOfReference, String sop, int instanceNumber,
                                 double[] position, double[] iop, int rows, int columns, String imageKind)
            throws IOException {
        try {
            AttributeList l = new AttributeList();
            boolean ct = modality == Modality.CT;
            uid(l, "SOPClassUID", ct ? SOPClass.CTImageStorage : SOPClass.MRImageStorage);
            uid(l, "SOPInstanceUID", sop);
            uid(l, "StudyInstanceUID", study);
            uid(l, "SeriesInstanceUID", series);
            uid(l, "FrameOfReferenceUID", frameOfReference);
            put(l, new PersonNameAttribute(tag("PatientName")), patientName);
            put(l, new LongStringAttribute(tag("PatientID")), patientId);
            put(l, new DateAttribute(tag("PatientBirthDate")), "19700101");
            put(l, new CodeStringAttribute(tag("PatientSex")), "O");
            put(l, new DateAttribute(tag("StudyDate")), "20240101");
            put(l, new TimeAttribute(tag("StudyTime")), "120000");
            put(l, new DateAttribute(tag("SeriesDate")), "20240101");
            put(l, new TimeAttribute(tag("SeriesTime")), "120100");
            put(l, new DateAttribute(tag("ContentDate")), "20240101");
            put(l, new TimeAttribute(tag("ContentTime")), "120100");
            put(l, new PersonNameAttribute(tag("ReferringPhysicianName")), "");
            put(l, new ShortStringAttribute(tag("StudyID")), "1");
            put(l, new ShortStringAttribute(tag("AccessionNumber")), accessionNumber);
            put(l, new LongStringAttribute(tag("StudyDescription")), "Synthetic phantom");
            put(l, new CodeStringAttribute(tag("Modality")), modality.name());
            put(l, new IntegerStringAttribute(tag("SeriesNumber")), "2");
            put(l, new LongStringAttribute(tag("SeriesDescription")), "Synthetic " + modality + " " + slices + " slices");
            put(l, new LongStringAttribute(tag("Manufacturer")), "Synthetic");
            put(l, new LongStringAttribute(tag("PositionReferenceIndicator")), "");
            put(l, new CodeStringAttribute(tag("PatientPosition")), "HFS");
            put(l, new CodeStringAttribute(tag("BodyPartExamined")), "ABDOMEN");
            put(l, new CodeStringAttribute(tag("ImageType")), "ORIGINAL", "PRIMARY", imageKind);
            put(l, new IntegerStringAttribute(tag("InstanceNumber")), Integer.toString(instanceNumber));
            put(l, new IntegerStringAttribute(tag("AcquisitionNumber")), "1");
            put(l, new DecimalStringAttribute(tag("ImagePositionPatient")), ds(position));
            put(l, new DecimalStringAttribute(tag("ImageOrientationPatient")), ds(iop));
            put(l, new DecimalStringAttribute(tag("PixelSpacing")), ds(new double[] {rowSpacing, columnSpacing}));
            put(l, new DecimalStringAttribute(tag("SliceThickness")), ds(new double[] {sliceSpacing}));
            if (ct) {
                put(l, new DecimalStringAttribute(tag("KVP")), "120");
                if (gantryTiltDegrees != 0)
                    put(l, new DecimalStringAttribute(tag("GantryDetectorTilt")), ds(new double[] {gantryTiltDegrees}));
                put(l, new DecimalStringAttribute(tag("RescaleIntercept")), "-1024");
                put(l, new DecimalStringAttribute(tag("RescaleSlope")), "1");
                put(l, new LongStringAttribute(tag("RescaleType")), "HU");
                put(l, new DecimalStringAttribute(tag("WindowCenter")), "40");
                put(l, new DecimalStringAttribute(tag("WindowWidth")), "400");
            } else {
                put(l, new CodeStringAttribute(tag("ScanningSequence")), "SE");
                put(l, new CodeStringAttribute(tag("SequenceVariant")), "NONE");
                put(l, new CodeStringAttribute(tag("ScanOptions")), "");
                put(l, new CodeStringAttribute(tag("MRAcquisitionType")), "2D");
                put(l, new DecimalStringAttribute(tag("EchoTime")), "15");
                put(l, new DecimalStringAttribute(tag("RepetitionTime")), "500");
                put(l, new IntegerStringAttribute(tag("EchoTrainLength")), "1");
                put(l, new DecimalStringAttribute(tag("MagneticFieldStrength")), "1.5");
            }
            us(l, "SamplesPerPixel", 1);
            put(l, new CodeStringAttribute(tag("PhotometricInterpretation")), "MONOCHROME2");
            us(l, "Rows", rows);
            us(l, "Columns", columns);
            us(l, "BitsAllocated", 16);
            us(l, "BitsStored", 12);
            us(l, "HighBit", 11);
            us(l, "PixelRepresentation", 0);
            return l;
        } catch (DicomException e) {
            throw new IOException(e);
        }
    }

    private static long write(AttributeList list, Path file) throws IOException {
        try {
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "SEGGATEWAY");
            list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        } catch (DicomException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return Files.size(file);
    }

    static String[] ds(double... values) {
        return dsOf(values);
    }

    static double[] cross(double[] iop) {
        return new double[] {iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5],
                iop[0] * iop[4] - iop[1] * iop[3]};
    }

    private static String[] dsOf(double[] values) {
        String[] s = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            String v = String.format(Locale.ROOT, "%.6f", values[i]).replaceAll("0+$", "").replaceAll("\\.$", "");
            s[i] = v.equals("-0") ? "0" : v;
        }
        return s;
    }

    private static AttributeTag tag(String keyword) {
        return DicomDictionary.StandardDictionary.getTagFromName(keyword);
    }

    private static void uid(AttributeList l, String keyword, String value) throws DicomException {
        put(l, new UniqueIdentifierAttribute(tag(keyword)), value);
    }

    private static void us(AttributeList l, String keyword, int value) throws DicomException {
        Attribute a = new UnsignedShortAttribute(tag(keyword));
        a.addValue(value);
        l.put(a);
    }

    private static void put(AttributeList l, Attribute a, String... values) throws DicomException {
        for (String v : values) a.addValue(v);
        l.put(a);
    }
}
