package org.seggateway.inference.torch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our .npy files against NumPy itself (Debian python3-numpy). */
class NpyTest {

    @TempDir
    Path dir;

    @Test
    void numpyReadsWhatWeWriteAndWeReadWhatNumpyWrites() throws Exception {
        float[] v = new float[2 * 3 * 5];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5f - 3;
        Npy.writeFloat32(dir.resolve("a.npy"), v, 2, 3, 5);
        String py = String.join("\n",
                "import numpy as np, sys",
                "a = np.load(sys.argv[1] + '/a.npy')",
                "assert a.dtype == np.float32 and a.shape == (2, 3, 5), (a.dtype, a.shape)",
                "assert a[1, 2, 4] == 29 * 0.5 - 3 and a[0, 1, 0] == 5 * 0.5 - 3",
                "np.save(sys.argv[1] + '/b.npy', (np.arange(24, dtype=np.uint8).reshape(2, 3, 4) * 3))",
                "np.save(sys.argv[1] + '/c.npy', np.arange(7, dtype=np.float32) / 4)");
        Process p = new ProcessBuilder(List.of("/usr/bin/python3", "-c", py, dir.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        Npy.Array b = Npy.read(dir.resolve("b.npy"));
        assertThat(b.shape()).containsExactly(2, 3, 4);
        assertThat(b.uint8()[23] & 0xFF).isEqualTo(69);
        Npy.Array c = Npy.read(dir.resolve("c.npy"));
        assertThat(c.shape()).containsExactly(7);
        assertThat(c.float32()[6]).isEqualTo(1.5f);
        assertThat((Files.size(dir.resolve("a.npy")) - 30 * 4) % 64).as("header padded to 64 bytes").isZero();
    }
}
