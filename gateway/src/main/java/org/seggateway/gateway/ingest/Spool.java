package org.seggateway.gateway.ingest;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.seggateway.dicomio.uid.UidGenerator;

/**
 * The folder that holds every received instance until it is no longer needed:
 * {@code <root>/<study UID>/<series UID>/<SOP instance UID>.v<version>.dcm}. Paths are built only from
 * validated UIDs (digits and dots), so no received value can point outside the spool.
 */
public final class Spool {
    private final Path root;

    public Spool(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path instancePath(String studyUid, String seriesUid, String sopInstanceUid, int version) {
        return seriesFolder(studyUid, seriesUid).resolve(requireUid("SOP Instance UID", sopInstanceUid) + ".v" + version + ".dcm");
    }

    public Path seriesFolder(String studyUid, String seriesUid) {
        return root.resolve(requireUid("Study Instance UID", studyUid)).resolve(requireUid("Series Instance UID", seriesUid));
    }

    /** Moves a received file to its spool path and makes both the file and its folder entry durable. */
    public void moveDurably(Path received, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        force(received);
        Files.move(received, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        force(target.getParent());
    }

    /** fsync of a file or a folder. */
    public static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static String requireUid(String what, String uid) {
        if (!UidGenerator.isValid(uid))
            throw new InvalidInstanceException(what + " is not a valid UID (digits and dots, at most 64 characters): '"
                    + printable(uid) + "'");
        return uid;
    }

    /** A received value fit for a message: cut to 80 characters, control and non-ASCII characters as '?'. */
    static String printable(String s) {
        if (s == null) return "";
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
