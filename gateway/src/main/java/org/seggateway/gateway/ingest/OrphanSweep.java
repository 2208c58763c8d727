package org.seggateway.gateway.ingest;

import static org.seggateway.gateway.ingest.IngestLog.LOG;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.seggateway.dicomio.uid.UidGenerator;
import org.seggateway.gateway.config.GatewayConfig;
import org.seggateway.gateway.database.Transactions;

/**
 * At start, moves spool files that no {@code instances} row names (left by a crash between placing a file and
 * committing its row) from the instance folders {@code <spool>/<study>/<series>/} to
 * {@code <spool>/orphans/swept-<time>/}, and logs the counts. A file counts as named when a row holds its path, or
 * its SOP Instance UID and version (a spool moved to another path keeps its files). Each candidate is checked again
 * under its instance's {@link SopLock}, so a store in progress on this or another gateway never loses its file.
 * Other folders of the spool (incoming, retrieving, results, orphans) are not looked at.
 */
@ApplicationScoped
public class OrphanSweep {
    private static final Pattern INSTANCE_FILE = Pattern.compile("(.+)\\.v(\\d{1,9})\\.dcm");
    private static final int CHUNK = 500;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** What one sweep found. */
    public record Result(int checked, int quarantined, Path quarantineFolder) {}

    private final Transactions transactions;
    private final InstanceRepository instances;
    private final Spool spool;

    OrphanSweep(Transactions transactions, InstanceRepository instances, GatewayConfig config) {
        this.transactions = transactions;
        this.instances = instances;
        this.spool = new Spool(config.spool());
    }

    void onStart(@Observes StartupEvent event) {
        try {
            sweep();
        } catch (IOException | SQLException | RuntimeException e) {
            LOG.orphanSweepFailed(e, spool.root());
        }
    }

    public Result sweep() throws IOException, SQLException {
        String tag = "swept-" + STAMP.format(Instant.now());
        int checked = 0, quarantined = 0;
        for (Path study : uidFolders(spool.root()))
            for (Path series : uidFolders(study)) {
                List<Path> files = new ArrayList<>();
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(series)) {
                    for (Path f : entries) if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) files.add(f);
                }
                for (int from = 0; from < files.size(); from += CHUNK) {
                    List<Path> chunk = files.subList(from, Math.min(files.size(), from + CHUNK));
                    checked += chunk.size();
                    quarantined += sweepChunk(chunk, tag);
                }
            }
        Path folder = spool.root().resolve(Spool.ORPHANS).resolve(tag);
        if (quarantined > 0)
            LOG.orphansQuarantined(quarantined, checked, folder);
        else LOG.noOrphans(checked);
        return new Result(checked, quarantined, folder);
    }

    private int sweepChunk(List<Path> files, String tag) throws IOException, SQLException {
        List<String> sops = new ArrayList<>(), oddPaths = new ArrayList<>();
        for (Path f : files) {
            String sop = sopOf(f);
            if (sop != null) sops.add(sop);
            else oddPaths.add(f.toAbsolutePath().normalize().toString());
        }
        Named named = transactions.withHandle(h -> named(h, sops, oddPaths));
        int moved = 0;
        for (Path f : files) {
            if (named.names(f)) continue;
            String sop = sopOf(f);
            if (sop != null ? quarantineLocked(f, sop, tag) : quarantine(f, tag)) moved++;
        }
        return moved;
    }

    /** The file goes only if, with its instance's lock held, still no row names it. */
    private boolean quarantineLocked(Path file, String sop, String tag) throws IOException, SQLException {
        return SpoolTransaction.run(transactions, h -> {
            SopLock.acquire(h, sop);
            return !named(h, List.of(sop), List.of()).names(file) && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && quarantine(file, tag);
        });
    }

    private boolean quarantine(Path file, String tag) throws IOException {
        Path to = spool.quarantine(file, tag);
        LOG.orphanMoved(file, to);
        return true;
    }

    /** Paths and (SOP Instance UID, version) pairs that rows of the given instances name. */
    private record Named(Set<String> paths, Set<String> versions) {
        boolean names(Path file) {
            if (paths.contains(file.toAbsolutePath().normalize().toString())) return true;
            Matcher m = INSTANCE_FILE.matcher(file.getFileName().toString());
            return m.matches() && versions.contains(m.group(1) + "#" + Integer.parseInt(m.group(2)));
        }
    }

    /** By SOP Instance UID (indexed); by path only for the odd file whose name is not an instance file's. */
    private Named named(Handle h, List<String> sops, List<String> oddPaths) {
        Set<String> paths = new HashSet<>(), versions = new HashSet<>();
        if (sops.isEmpty() && oddPaths.isEmpty()) return new Named(paths, versions);
        for (InstanceRepository.StoredVersion row : instances.versionsOf(h, sops, oddPaths)) {
            versions.add(row.sopInstanceUid() + "#" + row.version());
            paths.add(row.spoolPath().toAbsolutePath().normalize().toString());
        }
        return new Named(paths, versions);
    }

    /** The SOP Instance UID an instance file's name carries; null for any other name. */
    private static String sopOf(Path file) {
        Matcher m = INSTANCE_FILE.matcher(file.getFileName().toString());
        return m.matches() && UidGenerator.isValid(m.group(1)) ? m.group(1) : null;
    }

    /** Sub-folders named like a UID: study folders under the root, series folders under a study. */
    private static List<Path> uidFolders(Path parent) throws IOException {
        List<Path> folders = new ArrayList<>();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) return folders;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries)
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && UidGenerator.isValid(p.getFileName().toString())) folders.add(p);
        }
        return folders;
    }
}
