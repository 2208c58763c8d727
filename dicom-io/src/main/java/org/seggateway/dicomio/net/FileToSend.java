package org.seggateway.dicomio.net;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Part 10 file's identity from its File Meta Information, read once to plan the association. */
record FileToSend(int index, Path file, String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {

    static FileToSend read(int index, Path file) throws IOException, DicomException {
        try (DicomInputStream in = open(file)) {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(in);
            String sopClass = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPClassUID);
            String sopInstance = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.MediaStorageSOPInstanceUID);
            String ts = Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID);
            if (sopClass.isEmpty() || sopInstance.isEmpty() || ts.isEmpty())
                throw new DicomException("no SOP class, SOP instance or transfer syntax UID in its meta information");
            if (SOPClass.isDirectory(sopClass)) throw new DicomException("a DICOMDIR cannot be sent by C-STORE");
            return new FileToSend(index, file, sopClass, sopInstance, ts);
        }
    }

    /** The file positioned at the start of its data set. */
    DicomInputStream openDataSet() throws IOException, DicomException {
        DicomInputStream in = open(file);
        try {
            new AttributeList().readOnlyMetaInformationHeader(in);
            return in;
        } catch (IOException | DicomException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static DicomInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            DicomInputStream in = new DicomInputStream(raw);
            if (!in.haveMetaHeader()) throw new IOException("not a Part 10 file (no DICM meta information)");
            return in;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }
}
