package org.seggateway.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.seggateway.inference.ProjectFiles;

/** The field table of docs/model-package.md names exactly the top-level fields the reader accepts. */
class ManifestFieldsDocumentedTest {

    @Test
    void everyFieldHasARowAndEveryRowAField() throws Exception {
        Set<String> documented = new TreeSet<>();
        Pattern field = Pattern.compile("`([A-Za-z0-9_]+)(?:\\.[A-Za-z0-9_.]+)?`");
        for (String line : Files.readAllLines(ProjectFiles.root().resolve("docs/model-package.md"))) {
            if (!line.startsWith("| `")) continue;
            String firstColumn = line.substring(1, line.indexOf('|', 1));
            Matcher m = field.matcher(firstColumn);
            while (m.find()) documented.add(m.group(1));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(ManifestReader.FIELDS));
    }
}
