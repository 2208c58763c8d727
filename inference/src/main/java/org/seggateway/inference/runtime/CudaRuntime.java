package org.seggateway.inference.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Makes a CUDA session possible before ONNX Runtime is first loaded: picks the CUDA generation (configured, or the
 * {@code libcudart.so.N} found), the ONNX Runtime build for it ({@code onnxruntime.native.path}), and loads the CUDA
 * and cuDNN libraries from the folders found, so that the CUDA provider's {@code dlopen} finds them already loaded by
 * their sonames whatever {@code LD_LIBRARY_PATH} was when the JVM started. Once per process: ONNX Runtime's natives
 * load once, so the first preparation decides.
 */
public final class CudaRuntime {
    /** The system property the ONNX Runtime Java API reads its native libraries' folder from. */
    public static final String NATIVE_PATH = "onnxruntime.native.path";
    /** What the official onnxruntime_gpu jar carries (a CUDA 12 build), when it is on the class path. */
    static final String CLASS_PATH_CUDA_PROVIDER = "/ai/onnxruntime/native/linux-x64/libonnxruntime_providers_cuda.so";

    /**
     * @param major       the CUDA generation; 0 when none could be used
     * @param nativesPath the ONNX Runtime natives folder set (null: the class path's)
     * @param libraries   CUDA and cuDNN libraries loaded
     * @param problem     why CUDA cannot be used (null when it can)
     */
    public record Prepared(int major, Path nativesPath, List<Path> libraries, String problem) {
        public boolean usable() {
            return problem == null;
        }

        public String describe() {
            return usable() ? "CUDA " + major + ", ONNX Runtime natives " + (nativesPath == null ? "from the class path" : nativesPath)
                    : problem;
        }
    }

    private static Prepared prepared;

    private CudaRuntime() {}

    /** Prepares once; later calls answer the first preparation. */
    public static synchronized Prepared prepare(CudaSetup setup) {
        if (prepared == null) {
            CudaLibraries libraries = CudaLibraries.search(setup.libraryFolders(), System.getenv(), PythonSitePackages.find());
            prepared = prepare(setup, libraries, defaultNativesRoot(), CudaRuntime.class.getResource(CLASS_PATH_CUDA_PROVIDER) != null,
                    System.getProperty(NATIVE_PATH));
            if (prepared.usable()) {
                if (prepared.nativesPath() != null && System.getProperty(NATIVE_PATH) == null)
                    System.setProperty(NATIVE_PATH, prepared.nativesPath().toAbsolutePath().toString());
                List<String> failed = preload(prepared.libraries());
                RuntimeLog.LOG.cudaPrepared(prepared.describe(), prepared.libraries().size(), failed.isEmpty() ? "none" : failed.toString());
            }
        }
        return prepared;
    }

    /**
     * The decision alone (no side effect), for the tests: {@code userNativePath} is a {@code -Donnxruntime.native.path}
     * given by the operator, which wins; {@code classPathHasCuda12}: the onnxruntime_gpu jar is on the class path.
     */
    static Prepared prepare(CudaSetup setup, CudaLibraries libraries, Path defaultRoot, boolean classPathHasCuda12,
                            String userNativePath) {
        OptionalInt detected = libraries.detectMajor();
        int major = setup.cudaMajor() != 0 ? setup.cudaMajor() : detected.orElse(0);
        if (major == 0)
            return failed("no CUDA runtime (libcudart.so.12 or .13) found in " + libraries.folders()
                    + "; name its folder with --cuda-libs, or install CUDA");
        CudaLibraries.Resolved resolved = libraries.resolve(major);
        if (!resolved.complete())
            return new Prepared(0, null, List.of(), "CUDA " + major + " libraries missing: " + resolved.missing() + " (searched "
                    + libraries.folders() + "; name their folders with --cuda-libs)");
        Path natives;
        if (userNativePath != null) {
            natives = Path.of(userNativePath);
        } else {
            Path root = setup.ortNatives() != null ? setup.ortNatives() : defaultRoot;
            natives = root == null ? null : buildFolder(root, major);
            if (natives == null && !(major == 12 && classPathHasCuda12))
                return failed("no ONNX Runtime build for CUDA " + major + " (looked in " + root + "); run scripts/fetch-gpu-natives.sh "
                        + major + " or name the folder with --ort-natives");
        }
        return new Prepared(major, natives, resolved.libraries(), null);
    }

    /** {@code root} itself when it holds a CUDA provider, else {@code root/cudaN}; null if neither. */
    static Path buildFolder(Path root, int major) {
        for (Path candidate : List.of(root, root.resolve("cuda" + major)))
            if (Files.isRegularFile(candidate.resolve("libonnxruntime_providers_cuda.so"))) return candidate;
        return null;
    }

    private static Prepared failed(String problem) {
        return new Prepared(0, null, List.of(), problem);
    }

    static Path defaultNativesRoot() {
        String p = System.getProperty("seg-gateway.gpu-natives");
        if (p == null) p = System.getenv("SEG_GATEWAY_GPU_NATIVES");
        if (p != null && !p.isBlank()) return Path.of(p);
        String home = System.getProperty("seg-gateway.home");
        return Path.of(home != null ? home : "").toAbsolutePath().resolve(".gpu-natives");
    }

    /** Loads each library, those whose own needs are not loaded yet after the others; returns the ones that fail. */
    static List<String> preload(List<Path> libraries) {
        List<Path> left = new ArrayList<>(libraries);
        Map<Path, String> errors = new LinkedHashMap<>();
        boolean progress = true;
        while (!left.isEmpty() && progress) {
            progress = false;
            for (var it = left.iterator(); it.hasNext(); ) {
                Path lib = it.next();
                try {
                    System.load(lib.toAbsolutePath().toString());
                    it.remove();
                    errors.remove(lib);
                    progress = true;
                } catch (UnsatisfiedLinkError e) {
                    errors.put(lib, e.getMessage());
                }
            }
        }
        return left.stream().map(l -> l.getFileName() + ": " + errors.get(l)).toList();
    }
}
