package org.seggateway.dicomio.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/conformance-statement.md says what the receiver accepts: its SOP class and transfer syntax tables equal what
 * {@link StoragePresentationContextPolicy} accepts, and its status table lists every status {@link DicomReceiver}
 * answers a C-STORE with by itself.
 */
class ConformanceStatementTest {

    static final Path STATEMENT = Path.of("..", "docs", "conformance-statement.md");
    private static final Pattern UID_CELL = Pattern.compile("\\|\\s*([0-9]+(?:\\.[0-9]+)+)\\s*\\|");
    private static final Pattern STATUS_CELL = Pattern.compile("^\\|\\s*(0x[0-9A-F]{4})\\s*\\|");

    @Test
    void annexAListsExactlyTheSopClassesThePolicyAccepts() throws IOException {
        Set<String> known = new TreeSet<>(List.of(SOPClass.arrayOfStorageSOPClasses).stream().map(String::strip).toList());
        known.addAll(sopClassConstants());
        Set<String> listed = uids(section("## Annex A"));
        known.addAll(listed);

        Set<String> accepted = known.stream().filter(ConformanceStatementTest::accepted)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(accepted).contains(SOPClass.Verification, SOPClass.CTImageStorage, SOPClass.SegmentationStorage);
        assertThat(listed).as("Annex A of " + STATEMENT).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void transferSyntaxTableIsExactlyTheDefaultAcceptedListInItsOrder() throws IOException {
        assertThat(uids(section("#### 3.1.2 Transfer syntaxes accepted by the SCP")))
                .containsExactlyElementsOf(AcceptedTransferSyntaxes.DEFAULT_ORDER);
    }

    @Test
    void scuTransferSyntaxTableIsExactlyWhatTheSenderCanWriteWithTheDefaultsFirst() throws IOException {
        List<String> table = section("#### 3.2.1 Transfer syntaxes the SCU offers");
        assertThat(uids(table)).containsExactlyInAnyOrderElementsOf(StoreTransferSyntaxes.WRITABLE.keySet());
        for (String uid : StoreTransferSyntaxes.WRITABLE.keySet()) {
            String row = table.stream().filter(l -> l.contains("| " + uid + " |")).findFirst().orElseThrow();
            assertThat(row).as("row of " + uid).startsWith("| " + StoreTransferSyntaxes.WRITABLE.get(uid) + " |");
            int position = StoreTransferSyntaxes.DEFAULT.indexOf(uid);
            if (position < 0) assertThat(row).doesNotContain("by default");
            else assertThat(row).contains("by default, " + List.of("first", "second").get(position));
        }
    }

    @Test
    void securitySectionStatesTheTlsVersionsTheSocketsEnable() throws IOException {
        String security = String.join("\n", section("### 6.1 DICOM TLS"));
        assertThat(TlsContexts.PROTOCOLS).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(security).contains("Non-Downgrading BCP 195 TLS Secure Transport Connection Profile",
                "TLS 1.3 and TLS 1.2 only", "TLS 1.1 or 1.0");
    }

    @Test
    void statusTableListsTheStatusesTheReceiverSendsItself() throws IOException {
        List<String> statuses = section("#### 3.1.3 Status codes the SCP returns").stream()
                .map(STATUS_CELL::matcher).filter(Matcher::find).map(m -> m.group(1)).toList();
        assertThat(statuses).contains(DimseStatus.toHex(DimseStatus.SUCCESS), DimseStatus.toHex(DimseStatus.OUT_OF_RESOURCES));
    }

    /** Whether the receiver accepts a presentation context of this abstract syntax in Explicit VR Little Endian. */
    private static boolean accepted(String abstractSyntax) {
        PresentationContext pc = new PresentationContext((byte) 1, abstractSyntax,
                StoragePresentationContextPolicy.EXPLICIT_VR_LITTLE_ENDIAN);
        LinkedList<PresentationContext> offered = new LinkedList<>(List.of(pc));
        LinkedList<?> answered = new StoragePresentationContextPolicy().applyPresentationContextSelectionPolicy(offered, 1);
        return ((PresentationContext) answered.getFirst()).getResultReason() == 0;
    }

    /** Every UID PixelMed names in {@link SOPClass}: with the storage list, all abstract syntaxes it could accept. */
    private static Set<String> sopClassConstants() {
        Set<String> uids = new TreeSet<>();
        for (Field f : SOPClass.class.getFields()) {
            if (f.getType() != String.class || !Modifier.isStatic(f.getModifiers())) continue;
            try {
                uids.add(((String) f.get(null)).strip());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return uids;
    }

    /** The lines under the heading that starts with {@code heading}, up to the next heading of the same or a higher level. */
    static List<String> section(String heading) throws IOException {
        List<String> lines = Files.readAllLines(STATEMENT);
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith(heading)) start++;
        if (start == lines.size()) start = -1;
        assertThat(start).as("heading '" + heading + "' in " + STATEMENT).isNotNegative();
        int level = heading.indexOf(' ');
        int end = start + 1;
        while (end < lines.size() && !isHeadingUpTo(lines.get(end), level)) end++;
        return lines.subList(start + 1, end);
    }

    private static boolean isHeadingUpTo(String line, int level) {
        int hashes = 0;
        while (hashes < line.length() && line.charAt(hashes) == '#') hashes++;
        return hashes > 0 && hashes <= level && line.length() > hashes && line.charAt(hashes) == ' ';
    }

    private static Set<String> uids(List<String> lines) {
        Set<String> uids = new java.util.LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = UID_CELL.matcher(line);
            while (m.find()) uids.add(m.group(1));
        }
        return uids;
    }
}
