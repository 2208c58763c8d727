package org.seggateway.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.net.DicomSender;
import org.seggateway.dicomio.net.RemoteAe;
import org.seggateway.dicomio.net.StoreOutcome;
import org.seggateway.dicomio.net.StoreResult;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.SharedTestData;
import org.seggateway.dicomio.testing.StorescuResponses;
import org.seggateway.dicomio.testing.StorescuResponses.Response;
import org.seggateway.gateway.NetworkTestProfile;
import com.pixelmed.utils.UUIDBasedOID;
import org.seggateway.dicomio.volume.Volume;
import org.seggateway.dicomio.volume.VolumeReader;

/**
 * Twenty real Siemens CT slices in JPEG 2000 Lossless whose Study, Series and SOP Instance UIDs and SOP Class UID an
 * anonymiser left empty ({@code ../shared/testdata/totalseg-j2k}), offered to the listener as real senders offer them.
 * Nothing of them is stored, and each sender learns why: DCMTK {@code storescu} cannot send a file without a SOP
 * Class; a sender that takes the SOP Class from the file meta header (ours, as {@code bin/seg-gateway send}) has
 * them accepted in JPEG 2000 and refused per instance with the empty UID named, as are the same headers in Explicit
 * VR Little Endian. With their UIDs filled in, {@code storescu} sends them in JPEG 2000 (and, made from them, in
 * JPEG-LS and RLE) and each spooled series reads to the voxels GDCM decodes.
 */
@QuarkusTest
@TestProfile(NetworkTestProfile.class)
class EmptyUidInstancesRefusalTest {
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";

    @Inject
    DicomListener listener;
    @Inject
    DataSource dataSource;
    @TempDir
    Path dir;

    List<Path> slices;

    @BeforeEach
    void realSlices() throws Exception {
        try (Stream<Path> files = Files.list(SharedTestData.folder("totalseg-j2k"))) {
            slices = files.filter(p -> p.getFileName().toString().endsWith(".dcm")).sorted().toList();
        }
        assertThat(slices).hasSize(20);
        AttributeList first = new AttributeList();
        first.read(slices.getFirst().toFile(), TagFromName.PixelData);
        for (var tag : List.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID, TagFromName.SOPInstanceUID,
                TagFromName.SOPClassUID))
            assertThat(Attribute.getSingleStringValueOrEmptyString(first, tag)).as("%s in the test data", tag).isEmpty();
        assertThat(Attribute.getSingleStringValueOrEmptyString(first, TagFromName.TransferSyntaxUID)).isEqualTo(JPEG_2000_LOSSLESS);
    }

    @Test
    void storescuCannotSendThemAndNothingIsStored() throws Exception {
        long before = instanceRows();
        Dcmtk.Result r = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), slices, "-d", "--no-halt");

        assertThat(r.output()).contains("No presentation context for: (unknown SOP class)");
        assertThat(StorescuResponses.parse(r.output())).as("C-STORE responses").isEmpty();
        assertThat(instanceRows()).isEqualTo(before);
    }

    @Test
    void aSenderUsingTheMetaHeaderHasThemRefusedPerInstanceNamingTheEmptyUid() throws Exception {
        long before = instanceRows();
        StoreResult result = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY"), slices);

        assertThat(result.outcomes()).hasSize(20).allSatisfy(o -> {
            assertThat(o.stored()).isFalse();
            assertThat(o.status()).isEqualTo(0xC000);
            assertThat(o.error()).isEqualTo("SOP Instance UID is missing");
        });
        assertThat(instanceRows()).isEqualTo(before);
    }

    @Test
    void withTheirUidsFilledInStorescuSendsThemInJpeg2000JpegLsAndRleAndEachSpooledSeriesDecodesLikeGdcm() throws Exception {
        String study = new UUIDBasedOID().getOID();
        Path j2k = Files.createDirectories(dir.resolve("j2k")), gdcm = Files.createDirectories(dir.resolve("gdcm"));
        String j2kSeries = new UUIDBasedOID().getOID();
        for (Path slice : slices) {
            Path copy = j2k.resolve(slice.getFileName());
            Files.copy(slice, copy);
            dcmtk("dcmodify", "-nb", "-m", "(0008,0016)=" + CT_IMAGE_STORAGE, "-m", "(0008,0018)=" + sopInstanceFromMeta(copy),
                    "-i", "(0020,000D)=" + study, "-i", "(0020,000E)=" + j2kSeries, copy.toString());
            dcmtk("gdcmconv", "--raw", copy.toString(), gdcm.resolve(slice.getFileName()).toString());
        }
        Volume trusted = VolumeReader.readSingleSeries(gdcm);
        // the same slices as new instances of new series: JPEG-LS and RLE made by DCMTK from GDCM's decoding
        String[][] others = {{"1.2.840.10008.1.2.4.80", "dcmcjpls", "-xt"}, {"1.2.840.10008.1.2.5", "dcmcrle", "-xr"}};
        Map<String, String> seriesBySyntax = new java.util.LinkedHashMap<>(Map.of(JPEG_2000_LOSSLESS, j2kSeries));
        Map<String, Path> folderBySyntax = new java.util.LinkedHashMap<>(Map.of(JPEG_2000_LOSSLESS, j2k));
        for (String[] o : others) {
            String series = new UUIDBasedOID().getOID();
            Path folder = Files.createDirectories(dir.resolve(o[1]));
            for (Path slice : slices) {
                Path out = folder.resolve(slice.getFileName());
                dcmtk(o[1], gdcm.resolve(slice.getFileName()).toString(), out.toString());
                dcmtk("dcmodify", "-nb", "-gin", "-i", "(0020,000E)=" + series, out.toString());
            }
            seriesBySyntax.put(o[0], series);
            folderBySyntax.put(o[0], folder);
        }
        Map<String, String> option = Map.of(JPEG_2000_LOSSLESS, "-xv", others[0][0], "-xt", others[1][0], "-xr");

        for (String syntax : seriesBySyntax.keySet()) {
            List<Path> files;
            try (Stream<Path> s = Files.list(folderBySyntax.get(syntax))) {
                files = s.sorted().toList();
            }
            Dcmtk.Result r = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), files, option.get(syntax), "-R");

            assertThat(r.exitCode()).as(r.output()).isZero();
            Path spooledSeries = Files.createDirectories(dir.resolve("spooled-" + syntax));
            for (Path p : spooledPaths(seriesBySyntax.get(syntax))) {
                Files.copy(p, spooledSeries.resolve(p.getFileName()));
                AttributeList meta = new AttributeList();
                meta.read(p.toFile(), TagFromName.PixelData);
                assertThat(Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID)).isEqualTo(syntax);
            }
            assertThat(spooledSeries.toFile().list()).as(syntax).hasSize(20);
            Volume received = VolumeReader.readSingleSeries(spooledSeries);
            assertThat(received.geometry()).as(syntax).isEqualTo(trusted.geometry());
            assertThat(received.int16Voxels()).as(syntax).isEqualTo(trusted.int16Voxels());
        }
    }

    private List<Path> spooledPaths(String series) throws Exception {
        List<Path> spooled = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); java.sql.PreparedStatement q = c.prepareStatement(
                "select i.spool_path from instances i join series s on s.id = i.series_id where s.series_instance_uid = ?")) {
            q.setString(1, series);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) spooled.add(Path.of(rs.getString(1)));
            }
        }
        return spooled;
    }

    @Test
    void theirHeadersAreRefusedPerInstanceNamingTheEmptyUid() throws Exception {
        List<Path> headers = new ArrayList<>();
        for (Path slice : slices) headers.add(uncompressedWithItsHeader(slice, dir.resolve("native").resolve(slice.getFileName())));
        long before = instanceRows();

        // as they are, by a sender that takes SOP Class and Instance from the meta header
        StoreResult result = new DicomSender("MODALITY").store(new RemoteAe("127.0.0.1", listener.port(), "SEGGATEWAY"), headers);
        assertThat(result.outcomes()).hasSize(20).allSatisfy(o -> {
            assertThat(o.stored()).isFalse();
            assertThat(o.status()).isEqualTo(0xC000);
            assertThat(o.error()).isEqualTo("SOP Instance UID is missing");
        });

        // storescu needs a SOP Class (and takes the SOP Instance UID) from the data set: with those two set, the
        // empty Study Instance UID is named
        for (Path h : headers)
            dcmtk("dcmodify", "-nb", "-m", "(0008,0016)=" + CT_IMAGE_STORAGE, "-m", "(0008,0018)=" + sopInstanceFromMeta(h), h.toString());
        Dcmtk.Result r = Dcmtk.storescu("MODALITY", "SEGGATEWAY", listener.port(), headers, "-d", "--no-halt");
        assertThat(StorescuResponses.parse(r.output())).as(r.output()).hasSize(20)
                .containsOnly(new Response("0xc000", "Study Instance UID is missing", List.of("(0020,000d)")));

        assertThat(instanceRows()).isEqualTo(before);
    }

    /**
     * The file's header as it is (UIDs empty, meta header kept), in Explicit VR Little Endian with zero Pixel Data of
     * the image's size in place of the JPEG 2000 stream: what the listener would see of it, without decoding JPEG 2000.
     */
    private static Path uncompressedWithItsHeader(Path j2k, Path out) throws Exception {
        AttributeList list = new AttributeList();
        list.read(j2k.toFile(), TagFromName.PixelData);
        list.remove(TagFromName.PixelData);
        int rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        assertThat(Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0)).isEqualTo(16);
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(new short[rows * columns]);
        list.put(pixels);
        String sopClass = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MediaStorageSOPClassUID);
        String sopInstance = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MediaStorageSOPInstanceUID);
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(list, sopClass, sopInstance, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        Files.createDirectories(out.getParent());
        list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        return out;
    }

    private static String sopInstanceFromMeta(Path file) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.MediaStorageSOPInstanceUID);
    }

    private long instanceRows() throws Exception {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery("select count(*) from instances")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void dcmtk(String... command) throws Exception {
        Dcmtk.Result r = Dcmtk.run(Duration.ofSeconds(30), List.of(command));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }
}
