package org.seggateway.inference.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.seggateway.inference.Segmenter;
import org.seggateway.inference.model.ModelPackage;
import org.seggateway.inference.model.ModelPackageException;
import org.seggateway.inference.runtime.RuntimeOptions;

/**
 * The model packages a worker can run: every sub-folder of a models folder that holds a {@code model.json}
 * (or the folder itself, when it is one package), keyed by manifest name and version. Manifests are read
 * and checked once, when the catalog is opened, so a broken package stops the worker at start; each
 * package's ONNX Runtime session is opened on its first job and reused for every later one.
 */
public final class ModelCatalog implements AutoCloseable {

    /** A job names a model the catalog does not hold. */
    public static final class UnknownModelException extends IllegalArgumentException {
        UnknownModelException(String message) {
            super(message);
        }
    }

    private final Path folder;
    private final Map<String, ModelPackage> packages;
    private final Map<String, Segmenter> open = new LinkedHashMap<>();
    private final BiFunction<ModelPackage, RuntimeOptions, Segmenter> opener;
    private final RuntimeOptions runtime;
    private boolean closed;

    private ModelCatalog(Path folder, Map<String, ModelPackage> packages, RuntimeOptions runtime,
                         BiFunction<ModelPackage, RuntimeOptions, Segmenter> opener) {
        this.folder = folder;
        this.packages = packages;
        this.runtime = runtime;
        this.opener = opener;
    }

    public static ModelCatalog open(Path folder, RuntimeOptions runtime) throws IOException {
        return open(folder, runtime, Segmenter::open);
    }

    /** With another way to open a package (tests count the openings, or put a fake network behind it). */
    public static ModelCatalog open(Path folder, RuntimeOptions runtime, BiFunction<ModelPackage, RuntimeOptions, Segmenter> opener)
            throws IOException {
        if (!Files.isDirectory(folder)) throw new ModelPackageException("models folder " + folder + " does not exist or is not a folder");
        List<Path> dirs = new ArrayList<>();
        if (Files.isRegularFile(folder.resolve(ModelPackage.MANIFEST))) {
            dirs.add(folder);
        } else {
            try (Stream<Path> children = Files.list(folder)) {
                children.filter(d -> Files.isRegularFile(d.resolve(ModelPackage.MANIFEST))).sorted().forEach(dirs::add);
            }
        }
        if (dirs.isEmpty())
            throw new ModelPackageException("models folder " + folder + " holds no model package (no sub-folder with a "
                    + ModelPackage.MANIFEST + ")");
        Map<String, ModelPackage> packages = new LinkedHashMap<>();
        for (Path dir : dirs) {
            ModelPackage p = ModelPackage.load(dir);
            ModelPackage before = packages.putIfAbsent(key(p.manifest().name(), p.manifest().version()), p);
            if (before != null)
                throw new ModelPackageException("models folder " + folder + ": " + before.directory().getFileName() + " and "
                        + dir.getFileName() + " are both model " + p.displayName() + "; a name and version must be unique");
        }
        return new ModelCatalog(folder, Collections.unmodifiableMap(packages), runtime, opener);
    }

    /** "name version" of every package, in folder order. */
    public List<String> models() {
        return packages.values().stream().map(ModelPackage::displayName).toList();
    }

    public ModelPackage modelPackage(String name, String version) {
        ModelPackage p = packages.get(key(name, version));
        if (p == null)
            throw new UnknownModelException("no model " + name + " " + version + " in " + folder + "; it holds " + models());
        return p;
    }

    /** The package's segmenter, opened on first use and then shared by every caller (one session per model). */
    public synchronized Segmenter segmenter(String name, String version) {
        if (closed) throw new IllegalStateException("model catalog of " + folder + " is closed");
        ModelPackage p = modelPackage(name, version);
        return open.computeIfAbsent(key(name, version), k -> opener.apply(p, runtime));
    }

    /** Number of sessions opened so far. */
    public synchronized int openSessions() {
        return open.size();
    }

    @Override
    public synchronized void close() throws Exception {
        closed = true;
        Exception first = null;
        for (Segmenter s : open.values()) {
            try {
                s.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        open.clear();
        if (first != null) throw first;
    }

    private static String key(String name, String version) {
        return name + "\u0000" + version;
    }
}
