package org.seggateway.dicomio.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomFileUtilities;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.seggateway.dicomio.header.DicomHeader;

/**
 * Finds the image series in a folder tree: reads every file's header (stopping before the pixel data)
 * and groups the image instances by Series Instance UID. Files that are not DICOM, DICOMDIRs, unreadable
 * files and instances without pixels (or segmentations, which are not source images) are counted and
 * reported as warnings, never fatal: a folder from a CD or a PACS export usually holds a few of them.
 */
public final class DicomFolderScanner {
    private static final String MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10";
    private static final String SEGMENTATION_CLASSES = "1.2.840.10008.5.1.4.1.1.66";

    private DicomFolderScanner() {}

    public static FolderScan scan(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) throw new IOException("not a folder: " + directory);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        return scanFiles(files, directory.toString());
    }

    /**
     * Like {@link #scan(Path)} for a given list of files (e.g. the spooled instances of one series version),
     * scanned in list order; {@code origin} names them in warnings. A file that does not exist is an error.
     */
    public static FolderScan scanFiles(List<Path> files, String origin) throws IOException {
        for (Path file : files)
            if (!Files.isRegularFile(file)) throw new IOException("no such file: " + file + " (" + origin + ")");
        Map<String, List<InstanceFile>> bySeries = new LinkedHashMap<>();
        Ignored notDicom = new Ignored("not DICOM"), dicomdir = new Ignored("DICOMDIR"),
                unreadable = new Ignored("unreadable DICOM"), noImage = new Ignored("not an image (no pixels, or a segmentation)"),
                noSeries = new Ignored("without Series Instance UID");
        for (Path file : files) {
            if (!DicomFileUtilities.isDicomOrAcrNemaFile(file.toFile())) {
                notDicom.add(file, null);
                continue;
            }
            AttributeList list = new AttributeList();
            long pixelDataEnd;
            try {
                pixelDataEnd = list.read(file.toFile(), TagFromName.PixelData);
            } catch (DicomException | IOException | RuntimeException e) {
                unreadable.add(file, e.getMessage());
                continue;
            }
            String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPClassUID);
            if (sopClass.isEmpty()) sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MediaStorageSOPClassUID);
            if (sopClass.equals(MEDIA_STORAGE_DIRECTORY) || file.getFileName().toString().equals("DICOMDIR")) {
                dicomdir.add(file, null);
                continue;
            }
            if (Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0) == 0
                    || sopClass.startsWith(SEGMENTATION_CLASSES)) {
                noImage.add(file, sopClass);
                continue;
            }
            String series = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SeriesInstanceUID);
            if (series.isEmpty()) {
                noSeries.add(file, null);
                continue;
            }
            // read(File, tag) returns the position just after the stop tag; the element starts 4 bytes before
            long pixelDataOffset = list.get(TagFromName.PixelData) == null && pixelDataEnd >= 4 ? pixelDataEnd - 4 : -1;
            bySeries.computeIfAbsent(series, k -> new ArrayList<>())
                    .add(new InstanceFile(file, DicomHeader.of(list), pixelDataOffset));
        }
        List<SeriesFiles> series = bySeries.entrySet().stream().map(e -> new SeriesFiles(e.getKey(), e.getValue())).toList();
        List<String> warnings = new ArrayList<>();
        int ignored = 0;
        for (Ignored i : List.of(notDicom, dicomdir, unreadable, noImage, noSeries)) {
            if (i.count == 0) continue;
            ignored += i.count;
            warnings.add("ignored " + i.count + " file(s) " + i.reason + " in " + origin + ", e.g. " + i.example
                    + (i.detail == null || i.detail.isEmpty() ? "" : " (" + i.detail + ")"));
        }
        return new FolderScan(series, ignored, warnings);
    }

    private static final class Ignored {
        final String reason;
        int count;
        Path example;
        String detail;

        Ignored(String reason) {
            this.reason = reason;
        }

        void add(Path file, String detail) {
            if (count++ == 0) {
                example = file;
                this.detail = detail;
            }
        }
    }
}
