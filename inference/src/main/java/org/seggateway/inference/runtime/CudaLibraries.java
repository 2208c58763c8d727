package org.seggateway.inference.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the CUDA libraries of a host are, and which CUDA generation they are. The folders searched, in order:
 * the configured ones; {@code LD_LIBRARY_PATH}; {@code $CUDA_HOME/lib64} and {@code $CUDA_PATH/lib64};
 * {@code /usr/local/cuda/lib64} and {@code /usr/local/cuda-*}{@code /lib64} (newest first); the {@code nvidia/*}{@code /lib}
 * folders of Python's site-packages (the {@code nvidia-cublas}, {@code nvidia-cuda-runtime} and {@code nvidia-cudnn-cu*}
 * wheels that PyTorch installs); the system's library folders. The generation is the major version N of the first
 * {@code libcudart.so.N} found (13 before 12 within a folder).
 */
public final class CudaLibraries {
    /** CUDA generations the worker has ONNX Runtime builds for. */
    public static final List<Integer> SUPPORTED = List.of(13, 12);

    private final List<Path> folders;

    public CudaLibraries(List<Path> folders) {
        this.folders = List.copyOf(folders);
    }

    /** The usual places, after {@code configured}; {@code sitePackages}: Python's site-packages folders, or none. */
    public static CudaLibraries search(List<Path> configured, Map<String, String> env, List<Path> sitePackages) {
        Set<Path> f = new LinkedHashSet<>(configured);
        String ld = env.get("LD_LIBRARY_PATH");
        if (ld != null) for (String p : ld.split(":")) if (!p.isBlank()) f.add(Path.of(p));
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.get(var);
            if (home != null && !home.isBlank()) f.add(Path.of(home, "lib64"));
        }
        f.add(Path.of("/usr/local/cuda/lib64"));
        f.addAll(versionedCudaFolders(Path.of("/usr/local")));
        for (Path site : sitePackages) f.addAll(nvidiaWheelFolders(site));
        f.add(Path.of("/usr/lib/x86_64-linux-gnu"));
        f.add(Path.of("/usr/lib64"));
        return new CudaLibraries(f.stream().filter(Files::isDirectory).toList());
    }

    /** {@code /usr/local/cuda-13.0/lib64} and the like, the highest version first. */
    static List<Path> versionedCudaFolders(Path parent) {
        if (!Files.isDirectory(parent)) return List.of();
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith("cuda-"))
                    .sorted(Comparator.comparing((Path p) -> version(p.getFileName().toString().substring(5))).reversed())
                    .map(p -> p.resolve("lib64")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code site/nvidia/<package>/lib}: where the NVIDIA wheels put their shared libraries. */
    static List<Path> nvidiaWheelFolders(Path site) {
        Path nvidia = site.resolve("nvidia");
        if (!Files.isDirectory(nvidia)) return List.of();
        try (Stream<Path> s = Files.list(nvidia)) {
            return s.sorted().flatMap(p -> Stream.of(p.resolve("lib"), p.resolve("lib64"))).filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Version version(String s) {
        String[] parts = s.split("\\.");
        int major = parse(parts[0]), minor = parts.length > 1 ? parse(parts[1]) : 0;
        return new Version(major, minor);
    }

    private record Version(int major, int minor) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public List<Path> folders() {
        return folders;
    }

    /** The CUDA generation of the first {@code libcudart.so.N} found, among {@link #SUPPORTED}. */
    public OptionalInt detectMajor() {
        for (Path folder : folders)
            for (int major : SUPPORTED)
                if (Files.exists(folder.resolve("libcudart.so." + major))) return OptionalInt.of(major);
        return OptionalInt.empty();
    }

    /** The first folder holding {@code fileName}. */
    public Optional<Path> find(String fileName) {
        return folders.stream().map(f -> f.resolve(fileName)).filter(Files::exists).findFirst();
    }

    /**
     * The libraries ONNX Runtime's CUDA provider of generation {@code major} needs, in load order (each after what it
     * needs): the CUDA runtime, cuBLASLt, cuBLAS (for CUDA 12 also cuRAND and cuFFT, which the official build links),
     * then cuDNN 9's libraries (its sub-libraries, which cuDNN opens by name at run time, before {@code libcudnn.so.9});
     * with the ones not found.
     */
    public Resolved resolve(int major) {
        List<Path> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("libcudart.so." + major, "libcublasLt.so." + major, "libcublas.so." + major));
        if (major == 12) names.addAll(List.of("libcurand.so.10", "libcufft.so.11")); // NEEDED by onnxruntime_gpu's provider
        for (String name : names) {
            find(name).ifPresentOrElse(found::add, () -> missing.add(name));
        }
        Optional<Path> cudnn = find("libcudnn.so.9");
        if (cudnn.isEmpty()) {
            missing.add("libcudnn.so.9");
        } else {
            Path folder = cudnn.get().getParent();
            for (String sub : CUDNN_PARTS) {
                Path p = folder.resolve(sub);
                if (Files.exists(p)) found.add(p);
            }
            found.add(cudnn.get());
        }
        return new Resolved(major, found, missing);
    }

    /** cuDNN 9's sub-libraries, each after those it links against. */
    static final List<String> CUDNN_PARTS = List.of("libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9",
            "libcudnn_adv.so.9");

    /** @param libraries in load order; {@code missing}: file names not found in any folder */
    public record Resolved(int major, List<Path> libraries, List<String> missing) {
        public boolean complete() {
            return missing.isEmpty();
        }
    }
}
