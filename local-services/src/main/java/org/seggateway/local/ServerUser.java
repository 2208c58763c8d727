package org.seggateway.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operating-system user that runs a private PostgreSQL server. PostgreSQL's {@code initdb} and
 * {@code postgres} refuse to run as root, so when this JVM is root the server runs as an unprivileged
 * system user ({@code postgres} where Debian's package created it, else {@code nobody}, or the one named
 * by {@code SEG_GATEWAY_POSTGRES_USER}) through util-linux {@code setpriv}, which execs the server in place:
 * the child process is the server itself, so stopping or killing it reaches the server.
 *
 * @param name empty when the server runs as this JVM's own user
 */
public record ServerUser(Optional<String> name) {
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    public static ServerUser forThisProcess() {
        if (!isRoot()) return new ServerUser(Optional.empty());
        String configured = System.getenv("SEG_GATEWAY_POSTGRES_USER");
        if (configured != null && !configured.isBlank()) return new ServerUser(Optional.of(configured.strip()));
        return new ServerUser(Optional.of(systemUserExists("postgres") ? "postgres" : "nobody"));
    }

    public static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    public boolean isSelf() {
        return name.isEmpty();
    }

    /** {@code command} as this user would run it. */
    public List<String> command(List<String> command) {
        if (name.isEmpty()) return command;
        if (!Files.isExecutable(SETPRIV))
            throw new IllegalStateException("PostgreSQL refuses to run as root and " + SETPRIV
                    + " (util-linux) is missing: run as an unprivileged user, or install util-linux");
        List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + name.get(), "--regid=" + name.get(),
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands {@code directory} (only that folder, not its content) to this user, readable by it alone. */
    public void own(Path directory) throws IOException {
        var view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        view.setPermissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        if (name.isPresent()) {
            var users = directory.getFileSystem().getUserPrincipalLookupService();
            view.setOwner(users.lookupPrincipalByName(name.get()));
            view.setGroup(users.lookupPrincipalByGroupName(primaryGroup(name.get())));
        }
    }

    /** Whether this user can reach {@code path}: every folder above it lets others through. */
    public boolean canReach(Path path) throws IOException {
        if (name.isEmpty()) return true;
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return name.orElse(System.getProperty("user.name"));
    }

    private static boolean systemUserExists(String user) {
        return passwdEntry(user).isPresent();
    }

    private static String primaryGroup(String user) throws IOException {
        String gid = passwdEntry(user).map(fields -> fields[3])
                .orElseThrow(() -> new IOException("no user '" + user + "' in /etc/passwd to run PostgreSQL as"));
        try (Stream<String> lines = Files.lines(Path.of("/etc/group"))) {
            return lines.map(l -> l.split(":")).filter(f -> f.length > 2 && f[2].equals(gid)).map(f -> f[0]).findFirst()
                    .orElseThrow(() -> new IOException("no group with id " + gid + " (primary group of '" + user + "') in /etc/group"));
        }
    }

    private static Optional<String[]> passwdEntry(String user) {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":")).filter(f -> f.length > 3 && f[0].equals(user)).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
