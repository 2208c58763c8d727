package org.seggateway.it.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded mutations of a valid Part 10 instance (explicit VR little endian, as the synthetic series are written):
 * wrong VRs, truncated and oversized elements, bad lengths, wrong pixel data sizes, odd transfer syntaxes, bad UIDs,
 * empty, huge and deep sequences, random bytes. The same seed and donors give the same files, byte for byte, so a
 * failure reproduces from the seed the test prints (the donor's random UIDs are replaced by ones derived from the seed). Each mutant gets a fresh SOP Instance UID (unless its mutation is
 * about that UID) and the series UID it is given, so mutants never touch a valid series.
 */
public final class DicomMutator {
    /** What can be done to an instance; a mutant has one or two. */
    public enum Kind {
        WRONG_VR, TRUNCATED_ELEMENT, OVERSIZED_ELEMENT, BAD_LENGTH, TRUNCATED_FILE, PIXEL_DATA_SIZE, IMAGE_SIZE,
        TRANSFER_SYNTAX, BAD_UID, EMPTY_SEQUENCE, HUGE_SEQUENCE, DEEP_SEQUENCE, UNTERMINATED_SEQUENCE, DUPLICATE_OR_UNSORTED,
        REMOVED_ELEMENT, BYTE_FLIPS
    }

    /** One mutated file and what was done to it; {@code sopInstanceUid} as its (possibly mutated) element holds it, unpadded. */
    public record Mutant(Path file, String sopInstanceUid, String seriesInstanceUid, List<String> mutations) {}

    private static final int SOP_CLASS = 0x00080016, SOP_INSTANCE = 0x00080018, STUDY = 0x0020000D, SERIES = 0x0020000E,
            SERIES_DESCRIPTION = 0x0008103E, ROWS = 0x00280010, COLUMNS = 0x00280011, BITS_ALLOCATED = 0x00280100,
            NUMBER_OF_FRAMES = 0x00280008, FRAME_OF_REFERENCE = 0x00200052, PIXEL_DATA = 0x7FE00010;
    private static final Set<String> LONG_VRS = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UT", "UN", "UC", "UR", "SV", "UV");
    private static final String[] VRS = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OW",
            "PN", "SH", "SL", "SQ", "SS", "ST", "TM", "UI", "UL", "UN", "US", "UT", "ZZ", "\0\0"};
    private static final String[] TRANSFER_SYNTAXES = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.4.50",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99", "1.2.3.4.5.6.7.8.9"};
    private static final String[] BAD_UIDS = {"", "1.2.840.abc", "1.2..3", "1.2.3.", ".1.2.3", "1.02.3",
            "1.2.840.99.ABC/../x", "../../../etc/passwd", "1.2.3\\4.5", "1." + "9".repeat(80), "1.2.3 ", "1.2.3\0\0", "\u00e9.1.2"};

    private final Random random;
    private final String root;
    private long counter;

    public DicomMutator(long seed) {
        this.random = new Random(seed);
        this.root = "2.25." + Long.toUnsignedString(seed & Long.MAX_VALUE) + ".";
    }

    /** Writes a mutant of {@code donor} to {@code target} with SOP and series UIDs of its own. */
    public Mutant mutate(Path donor, Path target, String seriesInstanceUid, String seriesDescription) throws IOException {
        byte[] file = Files.readAllBytes(donor);
        int metaEnd = 128 + 4 + 12 + ByteBuffer.wrap(file, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        List<Element> meta = parse(file, 132, metaEnd);
        List<Element> data = parse(file, metaEnd, file.length);
        String sop = uid();
        set(data, SOP_INSTANCE, "UI", ascii(sop));
        set(meta, 0x00020003, "UI", ascii(sop));
        set(data, SERIES, "UI", ascii(seriesInstanceUid));
        // the donor's other random UIDs, fixed, so that byte offsets (and so every mutant) depend on the seed alone
        set(data, STUDY, "UI", ascii(root + "0.1"));
        set(data, FRAME_OF_REFERENCE, "UI", ascii(root + "0.2"));
        set(data, SERIES_DESCRIPTION, "LO", ascii(seriesDescription));

        List<String> done = new ArrayList<>();
        Kind[] kinds = Kind.values();
        int count = random.nextInt(4) == 0 ? 2 : 1;
        for (int i = 0; i < count; i++) {
            Kind kind = kinds[random.nextInt(kinds.length)];
            String what = apply(kind, meta, data);
            done.add(kind + ": " + what);
        }
        byte[] out = write(meta, data);
        for (String d : done) {
            if (d.startsWith(Kind.TRUNCATED_FILE.name())) out = Arrays.copyOf(out, cutPoint(out, metaEnd));
            if (d.startsWith(Kind.BYTE_FLIPS.name())) flip(out, metaEnd);
        }
        Files.createDirectories(target.getParent());
        Files.write(target, out);
        Element sopElement = find(data, SOP_INSTANCE);
        String effective = sopElement == null ? "" : new String(sopElement.value, StandardCharsets.ISO_8859_1).strip()
                .replaceAll("\\u0000+$", "");
        return new Mutant(target, effective, seriesInstanceUid, done);
    }

    /** A fresh UID under this seed's root. */
    public String uid() {
        return root + (++counter);
    }

    private String apply(Kind kind, List<Element> meta, List<Element> data) {
        switch (kind) {
            case WRONG_VR -> {
                Element e = pick(data);
                String old = e.vr;
                e.vr = VRS[random.nextInt(VRS.length)];
                return tag(e) + " " + old + " -> " + printable(e.vr);
            }
            case TRUNCATED_ELEMENT -> {
                Element e = pick(data);
                int old = e.value.length;
                e.value = Arrays.copyOf(e.value, old == 0 ? 0 : random.nextInt(old));
                return tag(e) + " " + old + " -> " + e.value.length + " bytes";
            }
            case OVERSIZED_ELEMENT -> {
                Element e = pick(data);
                int size = LONG_VRS.contains(e.vr) ? 1 << (16 + random.nextInt(5)) : 0xfffe;
                byte[] v = new byte[size];
                Arrays.fill(v, (byte) (random.nextBoolean() ? '9' : 'A'));
                e.value = v;
                return tag(e) + " " + e.vr + " grown to " + size + " bytes";
            }
            case BAD_LENGTH -> {
                Element e = pick(data);
                long[] lengths = {0xffffffffL, 0x7ffffff0L, 0xfffffffeL, e.value.length + 1L, e.value.length + 4096L, 3};
                e.claimedLength = lengths[random.nextInt(lengths.length)];
                return tag(e) + " claims " + e.claimedLength + " bytes, holds " + e.value.length;
            }
            case TRUNCATED_FILE -> {
                return "file cut short";
            }
            case PIXEL_DATA_SIZE -> {
                Element e = find(data, PIXEL_DATA);
                if (e == null) return "no pixel data";
                int[] sizes = {0, 1, e.value.length / 2, e.value.length - 1, e.value.length + 2, e.value.length * 3};
                e.value = Arrays.copyOf(e.value, Math.max(0, sizes[random.nextInt(sizes.length)])); // an earlier mutation may have emptied it
                return "Pixel Data " + e.value.length + " bytes";
            }
            case IMAGE_SIZE -> {
                int[] tags = {ROWS, COLUMNS, BITS_ALLOCATED, NUMBER_OF_FRAMES};
                int t = tags[random.nextInt(tags.length)];
                int[] values = {0, 1, 3, 65535, 32768, 7};
                int v = values[random.nextInt(values.length)];
                if (t == NUMBER_OF_FRAMES) set(data, t, "IS", ascii(Integer.toString(random.nextBoolean() ? v : 1 << 30)));
                else set(data, t, "US", le16(v));
                return String.format("(%04X,%04X) = %d", t >>> 16, t & 0xffff, v);
            }
            case TRANSFER_SYNTAX -> {
                String ts = TRANSFER_SYNTAXES[random.nextInt(TRANSFER_SYNTAXES.length)];
                set(meta, 0x00020010, "UI", ascii(ts));
                return "meta Transfer Syntax " + ts + ", data still explicit VR little endian";
            }
            case BAD_UID -> {
                int[] tags = {SOP_INSTANCE, STUDY, SERIES, SOP_CLASS};
                int t = tags[random.nextInt(tags.length)];
                String bad = BAD_UIDS[random.nextInt(BAD_UIDS.length)];
                set(data, t, "UI", bad.getBytes(StandardCharsets.UTF_8));
                if (t == SOP_INSTANCE) set(meta, 0x00020003, "UI", bad.getBytes(StandardCharsets.UTF_8));
                return (t == SOP_INSTANCE ? "SOP Instance UID" : String.format("(%04X,%04X)", t >>> 16, t & 0xffff))
                        + " = '" + printable(bad) + "'";
            }
            case EMPTY_SEQUENCE -> {
                int[] tags = {0x52009230, 0x00081140, 0x00082112, 0x52009229};
                int t = tags[random.nextInt(tags.length)];
                insert(data, new Element(t, "SQ", new byte[0]));
                return String.format("empty sequence (%04X,%04X)", t >>> 16, t & 0xffff);
            }
            case HUGE_SEQUENCE -> {
                int items = 1000 * (1 + random.nextInt(20));
                ByteArrayOutputStream seq = new ByteArrayOutputStream();
                byte[] uidValue = ascii("1.2.3.4.5.6.7.8");
                for (int i = 0; i < items; i++) {
                    byte[] item = element(0x00081155, "UI", uidValue, uidValue.length);
                    seq.writeBytes(itemHeader(item.length));
                    seq.writeBytes(item);
                }
                insert(data, new Element(0x00081140, "SQ", seq.toByteArray()));
                return "Referenced Image Sequence with " + items + " items";
            }
            case DEEP_SEQUENCE -> {
                int depth = 16 + random.nextInt(240);
                byte[] inner = new byte[0];
                for (int i = 0; i < depth; i++) {
                    byte[] sq = element(0x00081140, "SQ", concat(itemHeader(inner.length), inner), inner.length + 8);
                    inner = sq;
                }
                Element e = new Element(0x00081140, "SQ", Arrays.copyOfRange(inner, 12, inner.length));
                insert(data, e);
                return "sequences nested " + depth + " deep";
            }
            case UNTERMINATED_SEQUENCE -> {
                Element e = new Element(0x52009230, "SQ", itemHeader(0xffffffffL));
                e.claimedLength = 0xffffffffL;
                insert(data, e);
                return "undefined-length sequence and item without delimiters";
            }
            case DUPLICATE_OR_UNSORTED -> {
                Element e = pick(data);
                int at = random.nextInt(data.size() + 1);
                Element copy = new Element(e.tag, e.vr, e.value.clone());
                data.add(at, copy);
                return tag(e) + " again at position " + at;
            }
            case REMOVED_ELEMENT -> {
                int[] tags = {PIXEL_DATA, ROWS, SOP_CLASS, STUDY, 0x00200032, 0x00200037, 0x00280030, 0x00080060, BITS_ALLOCATED};
                int t = tags[random.nextInt(tags.length)];
                data.removeIf(e -> e.tag == t);
                return String.format("(%04X,%04X) removed", t >>> 16, t & 0xffff);
            }
            case BYTE_FLIPS -> {
                return "random bytes changed";
            }
        }
        throw new IllegalStateException(kind.name());
    }

    private int cutPoint(byte[] out, int from) {
        return from + random.nextInt(Math.max(1, out.length - from));
    }

    private void flip(byte[] out, int from) {
        int n = 1 + random.nextInt(32);
        if (out.length <= from) return; // cut right after the meta header
        for (int i = 0; i < n; i++) out[from + random.nextInt(out.length - from)] = (byte) random.nextInt(256);
    }

    private Element pick(List<Element> data) {
        return data.get(random.nextInt(data.size()));
    }

    /** An element of a data set: its VR and value may be changed; {@code claimedLength} overrides the written length. */
    private static final class Element {
        final int tag;
        String vr;
        byte[] value;
        long claimedLength = -1;

        Element(int tag, String vr, byte[] value) {
            this.tag = tag;
            this.vr = vr;
            this.value = value;
        }
    }

    /** Top-level elements of explicit VR little endian bytes; a sequence of undefined length keeps its delimiter in its value. */
    private static List<Element> parse(byte[] b, int from, int to) {
        List<Element> list = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int p = from;
        while (p + 8 <= to) {
            int tag = (buf.getShort(p) & 0xffff) << 16 | (buf.getShort(p + 2) & 0xffff);
            String vr = new String(b, p + 4, 2, StandardCharsets.ISO_8859_1);
            long length;
            int header;
            if (LONG_VRS.contains(vr)) {
                length = Integer.toUnsignedLong(buf.getInt(p + 8));
                header = 12;
            } else {
                length = buf.getShort(p + 6) & 0xffff;
                header = 8;
            }
            int valueStart = p + header;
            int end = length == 0xffffffffL ? sequenceEnd(b, valueStart, to) : (int) Math.min(to, valueStart + length);
            Element e = new Element(tag, vr, Arrays.copyOfRange(b, valueStart, end));
            if (length == 0xffffffffL) e.claimedLength = 0xffffffffL;
            list.add(e);
            p = end;
        }
        return list;
    }

    /** The end (after the delimiter) of an undefined-length value starting at {@code p}. */
    private static int sequenceEnd(byte[] b, int p, int to) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int depth = 0;
        while (p + 8 <= to) {
            int group = buf.getShort(p) & 0xffff, element = buf.getShort(p + 2) & 0xffff;
            if (group == 0xfffe && element == 0xe0dd) {
                if (depth == 0) return p + 8;
                depth--;
            }
            p += 4;
        }
        return to;
    }

    private static byte[] write(List<Element> meta, List<Element> data) {
        ByteArrayOutputStream metaBytes = new ByteArrayOutputStream();
        for (Element e : meta) if (e.tag != 0x00020000) metaBytes.writeBytes(bytes(e));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes(ascii("DICM"));
        out.writeBytes(element(0x00020000, "UL", le32(metaBytes.size()), 4));
        out.writeBytes(metaBytes.toByteArray());
        for (Element e : data) out.writeBytes(bytes(e));
        return out.toByteArray();
    }

    private static byte[] bytes(Element e) {
        long length = e.claimedLength >= 0 ? e.claimedLength : e.value.length;
        return element(e.tag, e.vr, e.value, length);
    }

    private static byte[] element(int tag, String vr, byte[] value, long length) {
        byte[] vrBytes = vr.getBytes(StandardCharsets.ISO_8859_1);
        boolean longForm = LONG_VRS.contains(vr);
        ByteBuffer b = ByteBuffer.allocate((longForm ? 12 : 8) + value.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag).put(vrBytes, 0, 2);
        if (longForm) b.putShort((short) 0).putInt((int) length);
        else b.putShort((short) Math.min(length, 0xffff));
        b.put(value);
        return b.array();
    }

    private static byte[] itemHeader(long length) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xfffe).putShort((short) 0xe000)
                .putInt((int) length).array();
    }

    private static Element find(List<Element> list, int tag) {
        for (Element e : list) if (e.tag == tag) return e;
        return null;
    }

    /** Sets an element's value (even length, padded as DICOM pads), adding it in tag order when absent. */
    private static void set(List<Element> list, int tag, String vr, byte[] value) {
        byte[] padded = value.length % 2 == 0 ? value : concat(value, new byte[]{(byte) ("UI".equals(vr) ? 0 : ' ')});
        Element e = find(list, tag);
        if (e != null) {
            e.vr = vr;
            e.value = padded;
        } else insert(list, new Element(tag, vr, padded));
    }

    private static void insert(List<Element> list, Element e) {
        int at = 0;
        while (at < list.size() && Integer.compareUnsigned(list.get(at).tag, e.tag) < 0) at++;
        if (at < list.size() && list.get(at).tag == e.tag) list.set(at, e);
        else list.add(at, e);
    }

    private static String tag(Element e) {
        return String.format("(%04X,%04X)", e.tag >>> 16, e.tag & 0xffff);
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] le16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
