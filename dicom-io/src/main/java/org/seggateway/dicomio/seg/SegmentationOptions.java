package org.seggateway.dicomio.seg;

import java.util.Objects;
import java.util.regex.Pattern;
import org.seggateway.dicomio.uid.UidGenerator;

/**
 * The parts of a SEG that do not come from the source series: its series, its content identification
 * and the equipment that made it (this gateway, not the scanner). Start from {@link #defaults()}.
 *
 * @param contentLabel       Content Label, a DICOM CS: 1 to 16 of A-Z, 0-9, underscore, space
 * @param contentCreatorName Content Creator's Name (a person name, may be empty)
 */
public record SegmentationOptions(int seriesNumber, String seriesDescription, String contentLabel,
                                  String contentDescription, String contentCreatorName, String manufacturer,
                                  String manufacturerModelName, String deviceSerialNumber, String softwareVersion,
                                  UidGenerator uids) {

    private static final Pattern CODE_STRING = Pattern.compile("[A-Z0-9_ ]{1,16}");

    public SegmentationOptions {
        if (seriesNumber < 0) throw new IllegalArgumentException("series number must not be negative: " + seriesNumber);
        if (contentLabel == null || !CODE_STRING.matcher(contentLabel).matches())
            throw new IllegalArgumentException("content label must be 1-16 of A-Z, 0-9, '_', ' ': " + contentLabel);
        requireText(seriesDescription, "series description", 64);
        requireText(contentDescription, "content description", 64);
        requireText(manufacturer, "manufacturer", 64);
        requireText(manufacturerModelName, "manufacturer model name", 64);
        requireText(deviceSerialNumber, "device serial number", 64);
        requireText(softwareVersion, "software version", 64);
        contentCreatorName = contentCreatorName == null ? "" : contentCreatorName;
        Objects.requireNonNull(uids, "uids");
    }

    public static SegmentationOptions defaults() {
        return new SegmentationOptions(900, "AI segmentation", "SEGMENTATION", "Automatic segmentation", "",
                "seg-gateway", "seg-gateway", "1", "0.1.0", new UidGenerator());
    }

    public SegmentationOptions withSeries(int number, String description) {
        return new SegmentationOptions(number, description, contentLabel, contentDescription, contentCreatorName,
                manufacturer, manufacturerModelName, deviceSerialNumber, softwareVersion, uids);
    }

    public SegmentationOptions withContent(String label, String description, String creatorName) {
        return new SegmentationOptions(seriesNumber, seriesDescription, label, description, creatorName,
                manufacturer, manufacturerModelName, deviceSerialNumber, softwareVersion, uids);
    }

    public SegmentationOptions withEquipment(String manufacturer, String modelName, String serialNumber, String softwareVersion) {
        return new SegmentationOptions(seriesNumber, seriesDescription, contentLabel, contentDescription,
                contentCreatorName, manufacturer, modelName, serialNumber, softwareVersion, uids);
    }

    public SegmentationOptions withUids(UidGenerator uids) {
        return new SegmentationOptions(seriesNumber, seriesDescription, contentLabel, contentDescription,
                contentCreatorName, manufacturer, manufacturerModelName, deviceSerialNumber, softwareVersion, uids);
    }

    private static void requireText(String value, String what, int maxLength) {
        if (value == null || value.isBlank() || value.length() > maxLength)
            throw new IllegalArgumentException(what + " must be 1 to " + maxLength + " characters: " + value);
    }
}
