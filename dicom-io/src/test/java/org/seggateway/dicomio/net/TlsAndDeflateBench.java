package org.seggateway.dicomio.net;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.seggateway.dicomio.seg.TestSegmentations;
import org.seggateway.dicomio.seg.WrittenSegmentation;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;
import org.seggateway.dicomio.testing.TestCertificates;

/**
 * What deflate saves on a SEG and what DICOM TLS costs on a C-STORE, a benchmark, not a test (runs only when asked):
 * {@code ./mvnw -B -o -pl dicom-io -am verify -Dtest=TlsAndDeflateBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -Dbench=true}.
 * Prints the data set size of a 64x64x12 five-segment SEG in explicit and deflated VR little endian, and the median
 * time of 5 interleaved C-STOREs of 100 256x256 CT instances over one association to DCMTK storescp, plain and TLS
 * (client certificate, storescp's default Non-downgrading BCP 195 profile), loopback, storescp discarding.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class TlsAndDeflateBench {
    @TempDir
    Path dir;

    @Test
    void deflateSizeAndTlsTime() throws Exception {
        WrittenSegmentation seg = TestSegmentations.fiveSegmentSeg(dir.resolve("seg"));
        AttributeList list = new AttributeList();
        list.read(seg.file().toString());
        list.removeMetaInformationHeaderAttributes();
        ByteArrayOutputStream explicit = new ByteArrayOutputStream(), deflated = new ByteArrayOutputStream();
        list.write(new DicomOutputStream(explicit, null, StoreTransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN));
        list.write(new DicomOutputStream(deflated, null, StoreTransferSyntaxes.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN));
        System.out.printf(Locale.ROOT, "SEG (%d frames) data set: explicit %d bytes, deflated %d bytes (%.1f %%)%n",
                seg.frameCount(), explicit.size(), deflated.size(), 100.0 * deflated.size() / explicit.size());

        SyntheticSeries.Written ct = SyntheticSeries.ct().size(256, 256, 100).write(dir.resolve("ct"));
        TestCertificates.Party pacs = TestCertificates.create(dir, "pacs"), gateway = TestCertificates.create(dir, "gateway");
        SenderTls tls = SenderTls.load(TestCertificates.trustStore(dir.resolve("trust.p12"), pacs), TestCertificates.PASSWORD,
                gateway.keyStore(), TestCertificates.PASSWORD, true);
        List<Long> plainMs = new ArrayList<>(), tlsMs = new ArrayList<>();
        try (Dcmtk.StoreScp plain = Dcmtk.storescp("PLAIN", dir.resolve("p"), dir.resolve("p.log"), "--ignore");
             Dcmtk.StoreScp secure = Dcmtk.storescp("SECURE", dir.resolve("s"), dir.resolve("s.log"), "--ignore", "+tls",
                     pacs.key().toString(), pacs.certificate().toString(), "+cf", gateway.certificate().toString())) {
            DicomSender plainSender = new DicomSender("SEGGATEWAY");
            DicomSender tlsSender = new DicomSender(SenderOptions.defaults("SEGGATEWAY").withTls(tls));
            for (int round = 0; round < 6; round++) {
                long t0 = System.nanoTime();
                if (!plainSender.store(new RemoteAe("127.0.0.1", plain.port(), "PLAIN"), ct.files()).allStored())
                    throw new AssertionError("plain store failed");
                long t1 = System.nanoTime();
                if (!tlsSender.store(new RemoteAe("127.0.0.1", secure.port(), "SECURE"), ct.files()).allStored())
                    throw new AssertionError("TLS store failed");
                long t2 = System.nanoTime();
                if (round == 0) continue; // warm-up
                plainMs.add((t1 - t0) / 1_000_000);
                tlsMs.add((t2 - t1) / 1_000_000);
            }
        }
        System.out.printf(Locale.ROOT, "100 x 256x256 CT (%.1f MB) over one association: plain median %d ms, TLS median %d ms%n",
                ct.bytes() / 1e6, median(plainMs), median(tlsMs));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
