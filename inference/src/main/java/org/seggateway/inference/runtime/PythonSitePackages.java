package org.seggateway.inference.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Python's site-packages folders, where the NVIDIA wheels that PyTorch installs keep CUDA and cuDNN
 * ({@code nvidia/*}{@code /lib}): asked of {@code $SEG_GATEWAY_PYTHON} or {@code python3} on the PATH, once.
 */
final class PythonSitePackages {
    private PythonSitePackages() {}

    static List<Path> find() {
        String python = System.getenv().getOrDefault("SEG_GATEWAY_PYTHON", "python3");
        List<String> lines = GpuDevice.run(List.of(python, "-c",
                "import site, sysconfig; print('\\n'.join(site.getsitepackages() + [sysconfig.get_paths()['purelib']]))"));
        return lines.stream().map(String::trim).map(Path::of).filter(Files::isDirectory).distinct().toList();
    }
}
