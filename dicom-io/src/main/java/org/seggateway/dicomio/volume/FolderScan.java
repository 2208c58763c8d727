package org.seggateway.dicomio.volume;

import java.util.List;

/**
 * What {@link DicomFolderScanner} found in a folder.
 *
 * @param series         image series in the order their first file was met (files walked in name order)
 * @param ignoredFiles   files that are not DICOM, DICOMDIRs, unreadable files and non-image instances
 * @param warnings       one line per kind of ignored file, with the count and an example path
 */
public record FolderScan(List<SeriesFiles> series, int ignoredFiles, List<String> warnings) {
    public FolderScan {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }
}
