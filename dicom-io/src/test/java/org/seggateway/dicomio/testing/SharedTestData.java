package org.seggateway.dicomio.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real third-party DICOM of {@code ../shared/testdata} (beside the checkout, as CI has it; its README says where
 * each file comes from). Found from the project root, which is the nearest folder above the working directory that
 * holds {@code mvnw}, so tests of any module find it.
 */
public final class SharedTestData {
    private SharedTestData() {}

    /** {@code ../shared/testdata/<folder>} of the project root; fails the test with what is missing. */
    public static Path folder(String name) {
        Path root = projectRoot();
        Path folder = root.getParent().resolve("shared").resolve("testdata").resolve(name);
        if (!Files.isDirectory(folder))
            fail("the third-party test data " + folder + " is missing: it must sit beside the checkout as ../shared/testdata"
                    + " (project root " + root + ")");
        return folder;
    }

    /** A file of {@link #folder}, failing the test if it is absent. */
    public static Path file(String folder, String name) {
        Path file = folder(folder).resolve(name);
        if (!Files.isRegularFile(file)) fail("the third-party test file " + file + " is missing");
        return file;
    }

    static Path projectRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve("mvnw"))) return p;
        return fail("no project root (a folder with mvnw) above " + start);
    }
}
