package org.seggateway.inference.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LargestComponentTest {

    @Test
    void keepsTheLargestSixConnectedComponentPerLabel() {
        int nx = 6, ny = 4, nz = 3;
        byte[] l = new byte[nx * ny * nz];
        // label 1: a 2x2x2 block (8 voxels) and a 3-voxel bar; label 2: two diagonal-only neighbours (2 components of 1)
        for (int z = 0; z < 2; z++) for (int y = 0; y < 2; y++) for (int x = 0; x < 2; x++) l[x + nx * (y + ny * z)] = 1;
        for (int x = 3; x < 6; x++) l[x + nx * (3 + ny * 2)] = 1;
        l[5 + nx * (0 + ny * 0)] = 2;
        l[4 + nx * (1 + ny * 0)] = 2;
        LargestComponent.apply(l, nx, ny, nz);
        int ones = 0, twos = 0;
        for (byte b : l) {
            if (b == 1) ones++;
            if (b == 2) twos++;
        }
        assertThat(ones).isEqualTo(8);
        assertThat(l[3 + nx * (3 + ny * 2)]).isZero();
        assertThat(twos).as("diagonal neighbours are not 6-connected: one of the two remains").isEqualTo(1);
        assertThat(l[5]).isEqualTo((byte) 2);
    }
}
