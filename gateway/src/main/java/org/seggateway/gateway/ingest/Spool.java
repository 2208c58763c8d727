package org.seggateway.gateway.ingest;

import static org.seggateway.gateway.ingest.IngestLog.LOG;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    /** Folder under the root that holds quarantined orphan files; never a UID, so never a study folder. */
    public static final String ORPHANS = "orphans";

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

    /**
     * Moves a received file to a spool path that holds no file yet, and makes both the file and its folder entry
     * durable. Never replaces a file: a hard link fails when the path exists ({@link FileAlreadyExistsException}).
     * Callers hold the {@link SopLock} and have checked that no row names the path.
     */
    public void moveDurably(Path received, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        force(received);
        Files.createLink(target, received);
        force(target.getParent());
        Files.delete(received);
    }

    /**
     * {@link #moveDurably} to the path of a new row. A file already there is one that no committed row names (the
     * caller holds the {@link SopLock} and numbered the version after every row), left by a crash between placing
     * and committing: it is quarantined first, not replaced.
     */
    public void placeNew(Path received, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path moved = quarantine(target, "in-the-way");
            LOG.unnamedFileInTheWay(target, moved);
        }
        moveDurably(received, target);
    }

    /**
     * A hard link at the path of a new row to a received file already fsynced, leaving the received file where it is;
     * the caller fsyncs the folder (once for all it placed there) before committing. A file already at the path is
     * quarantined first, as by {@link #placeNew}. The folder exists.
     */
    void linkNew(Path received, Path target) throws IOException {
        try {
            Files.createLink(target, received);   // no look first: the path is free on every store but after a crash
        } catch (FileAlreadyExistsException e) {
            Path moved = quarantine(target, "in-the-way");
            LOG.unnamedFileInTheWay(target, moved);
            Files.createLink(target, received);
        }
    }

    /** Deletes a file this process placed for a row that was not committed; a failure is only logged. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.uncommittedFileNotDeleted(file, e.getMessage());
        }
    }

    /**
     * Moves a file that no row names out of the spool's instance folders into {@code <root>/orphans/<tag>/}, under
     * the same relative path, and returns where it went. Nothing is deleted: an operator decides.
     */
    public Path quarantine(Path file, String tag) throws IOException {
        Path relative = root.relativize(file.toAbsolutePath().normalize());
        Path target = root.resolve(ORPHANS).resolve(tag).resolve(relative);
        Files.createDirectories(target.getParent());
        for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++)
            target = target.resolveSibling(relative.getFileName() + "." + n);
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        force(target.getParent());
        return target;
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
