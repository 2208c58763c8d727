package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.TestSegmentations;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.Orthanc;
import org.seggateway.dicomio.testing.Part10;

/**
 * The transfer syntaxes a {@link DicomSender} offers and sends in, against DCMTK {@code storescp} set up to accept only
 * deflated or only implicit VR little endian: the file storescp stores is in that syntax, and DCMTK's own conversion of
 * it back to explicit VR little endian is byte for byte the data set we sent.
 */
class DicomSenderTransferSyntaxTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    static Path dir;
    static SyntheticSeries.Written series;

    @TempDir
    Path work;

    @BeforeAll
    static void series() throws Exception {
        series = SyntheticSeries.ct().size(64, 64, 2).write(dir.resolve("ct"));
    }

    @Test
    void deflatedFirstIsUsedWhenTheDestinationTakesOnlyDeflated() throws Exception {
        Path config = work.resolve("deflated-only.cfg");
        Files.writeString(config, """
                [[TransferSyntaxes]]
                [Deflated]
                TransferSyntax1 = 1.2.840.10008.1.2.1.99
                [[PresentationContexts]]
                [DeflatedCt]
                PresentationContext1 = %s\\Deflated
                [[Profiles]]
                [DeflatedOnly]
                PresentationContexts = DeflatedCt
                """.formatted(CT));
        Path stored = storeOne(List.of(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
                StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN), "-xf", config.toString(), "DeflatedOnly");

        assertThat(transferSyntax(stored)).isEqualTo(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(Part10.dataSet(stored).length).as("stored deflated")
                .isLessThan(Part10.dataSet(series.files().getFirst()).length * 3 / 4);
        assertSameContent(stored);
    }

    @Test
    void implicitIsUsedWhenTheDestinationTakesOnlyImplicit() throws Exception {
        Path stored = storeOne(StoreTransferSyntaxes.DEFAULT, "+xi");

        assertThat(transferSyntax(stored)).isEqualTo(StoreTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN);
        assertSameContent(stored);
    }

    @Test
    void aBinarySegGoesDeflatedToADestinationListingDeflatedFirstAndDcmtkReadsBackItsFrames() throws Exception {
        WrittenSegmentation seg = TestSegmentations.fiveSegmentSeg(work.resolve("seg"));
        Path out = work.resolve("storescp-seg");
        try (Dcmtk.StoreScp scp = Dcmtk.storescp("STORESCP", out, work.resolve("storescp-seg.log"), "+xd")) {
            DicomSender sender = new DicomSender(SenderOptions.defaults("SEGGATEWAY").withTransferSyntaxes(List.of(
                    StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)));
            assertThat(sender.store(new RemoteAe("127.0.0.1", scp.port(), "STORESCP"), List.of(seg.file())).allStored()).isTrue();
        }
        Path stored;
        try (var files = Files.list(out)) {
            stored = files.filter(f -> f.getFileName().toString().endsWith("." + seg.sopInstanceUid())).findFirst().orElseThrow();
        }
        assertThat(transferSyntax(stored)).isEqualTo(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        Path explicit = work.resolve("seg-explicit.dcm");
        // -e: sequences and items with undefined length, as our SEG writer writes them
        Dcmtk.Result conv = Dcmtk.run(Duration.ofSeconds(30), List.of("dcmconv", "+te", "-e", stored.toString(), explicit.toString()));
        assertThat(conv.exitCode()).as(conv.output()).isZero();
        assertThat(Part10.dataSet(explicit)).isEqualTo(Part10.dataSet(seg.file()));
        AttributeList received = new AttributeList();
        received.read(stored.toString());
        AttributeList sent = new AttributeList();
        sent.read(seg.file().toString());
        assertThat(received.get(TagFromName.PixelData).getByteValues()).isEqualTo(sent.get(TagFromName.PixelData).getByteValues());
    }

    @Test
    void orthancTakesTheSegDeflatedAndGivesBackTheSameFrames() throws Exception {
        WrittenSegmentation seg = TestSegmentations.fiveSegmentSeg(work.resolve("seg"));
        try (Orthanc orthanc = Orthanc.start(work.resolve("orthanc"), List.of())) {
            DicomSender sender = new DicomSender(SenderOptions.defaults("SEGGATEWAY")
                    .withTransferSyntaxes(List.of(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)));
            StoreResult result = sender.store(new RemoteAe("127.0.0.1", orthanc.dicomPort(), Orthanc.AE_TITLE), List.of(seg.file()));
            assertThat(result.allStored()).as(result.toString()).isTrue();
            String id = orthanc.post("/tools/lookup", seg.sopInstanceUid()).replaceAll("(?s).*\"ID\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            Path back = work.resolve("from-orthanc.dcm");
            Files.write(back, orthanc.getBytes("/instances/" + id + "/file"));

            assertThat(transferSyntax(back)).isEqualTo(StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
            AttributeList received = new AttributeList();
            received.read(back.toString());
            AttributeList sent = new AttributeList();
            sent.read(seg.file().toString());
            assertThat(received.get(TagFromName.PixelData).getByteValues()).isEqualTo(sent.get(TagFromName.PixelData).getByteValues());
            assertThat(Attribute.getSingleIntegerValueOrDefault(received, TagFromName.NumberOfFrames, -1)).isEqualTo(seg.frameCount());
        }
    }

    @Test
    void onlyTheDestinationsSyntaxesAreOfferedInItsOrder() throws Exception {
        // storescp +xa accepts whatever comes first in our list: the destination's order decides
        Path stored = storeOne(List.of(StoreTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN), "+xa");
        assertThat(transferSyntax(stored)).isEqualTo(StoreTransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN);

        Path refused = work.resolve("refused");
        try (Dcmtk.StoreScp scp = Dcmtk.storescp("STORESCP", refused, work.resolve("refused.log"), "+xi")) {
            DicomSender explicitOnly = new DicomSender(SenderOptions.defaults("SEGGATEWAY")
                    .withTransferSyntaxes(List.of(StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN)));
            StoreOutcome outcome = explicitOnly.store(new RemoteAe("127.0.0.1", scp.port(), "STORESCP"),
                    List.of(series.files().getFirst())).outcomes().getFirst();
            assertThat(outcome.status()).isEqualTo(DimseStatus.NOT_NEGOTIATED);
        }
        try (var files = Files.list(refused)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    private Path storeOne(List<String> offered, String... storescpOptions) throws Exception {
        Path out = work.resolve("storescp");
        try (Dcmtk.StoreScp scp = Dcmtk.storescp("STORESCP", out, work.resolve("storescp.log"), storescpOptions)) {
            DicomSender sender = new DicomSender(SenderOptions.defaults("SEGGATEWAY").withTransferSyntaxes(offered));
            StoreResult result = sender.store(new RemoteAe("127.0.0.1", scp.port(), "STORESCP"),
                    List.of(series.files().getFirst()));
            assertThat(result.allStored()).as(result.toString()).isTrue();
        }
        Path stored = out.resolve("CT." + series.sopInstanceUids().getFirst());
        assertThat(stored).exists();
        return stored;
    }

    /** DCMTK's dcmconv back to explicit VR little endian gives the very data set bytes we sent; PixelMed agrees on the pixels. */
    private void assertSameContent(Path stored) throws Exception {
        Path explicit = work.resolve("explicit.dcm");
        Dcmtk.Result conv = Dcmtk.run(Duration.ofSeconds(30), List.of("dcmconv", "+te", "-e", stored.toString(), explicit.toString()));
        assertThat(conv.exitCode()).as(conv.output()).isZero();
        assertThat(Part10.dataSet(explicit)).isEqualTo(Part10.dataSet(series.files().getFirst()));

        AttributeList received = new AttributeList();
        received.read(stored.toString());
        AttributeList sent = new AttributeList();
        sent.read(series.files().getFirst().toString());
        assertThat(received.get(TagFromName.PixelData).getShortValues())
                .isEqualTo(sent.get(TagFromName.PixelData).getShortValues());
    }

    private static String transferSyntax(Path file) throws Exception {
        AttributeList meta = new AttributeList();
        meta.read(file.toString());
        return Attribute.getSingleStringValueOrEmptyString(meta, TagFromName.TransferSyntaxUID);
    }
}
