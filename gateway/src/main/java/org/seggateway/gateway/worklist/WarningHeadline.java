package org.seggateway.gateway.worklist;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.seggateway.gateway.jobs.JobWarning;

/**
 * A job warning in a few plain words for the worklist row ("2 slices interpolated", "Liver left out of the SEG"); the
 * whole message stays in the job's warnings. Recognises the findings the volume reader and the SEG writer record;
 * anything else is shown by its first words.
 */
final class WarningHeadline {
    private static final int MAX_OTHER = 60;
    private static final Pattern SERIES_PREFIX = Pattern.compile("^series [0-9.]+: ");
    private static final Pattern INTERPOLATED = Pattern.compile("^(\\d+) slice\\(s\\) missing.*interpolation.*");
    private static final Pattern LOCALIZERS = Pattern.compile("^dropped (\\d+) localizer image\\(s\\).*");
    private static final Pattern OTHER_ORIENTATION = Pattern.compile("^dropped (\\d+) image\\(s\\) whose orientation.*");
    private static final Pattern COPIES = Pattern.compile("^(\\d+) image\\(s\\) found more than once.*");
    private static final Pattern IGNORED_FILES = Pattern.compile("^ignored (\\d+) file\\(s\\).*");
    private static final Pattern SINGLE_SLICE = Pattern.compile("^a single slice.*");
    private static final Pattern LABEL_WHOLLY = Pattern.compile("^label \\d+ \\((.*)\\): not in the SEG.*");
    private static final Pattern LABEL_PARTLY = Pattern.compile("^label \\d+ \\((.*)\\): (\\d+) of its (\\d+) voxels.*");

    private WarningHeadline() {}

    static List<String> of(List<JobWarning> warnings) {
        return warnings.stream().map(WarningHeadline::of).toList();
    }

    static String of(JobWarning warning) {
        String m = SERIES_PREFIX.matcher(warning.message()).replaceFirst("");
        Matcher x;
        if ((x = INTERPOLATED.matcher(m)).matches()) return count(x.group(1), "slice", "slices") + " interpolated";
        if ((x = LOCALIZERS.matcher(m)).matches()) return count(x.group(1), "localizer", "localizers") + " dropped";
        if ((x = OTHER_ORIENTATION.matcher(m)).matches())
            return count(x.group(1), "image", "images") + " of another orientation dropped";
        if ((x = COPIES.matcher(m)).matches()) return count(x.group(1), "duplicate image", "duplicate images") + " ignored";
        if ((x = IGNORED_FILES.matcher(m)).matches()) return count(x.group(1), "file", "files") + " ignored";
        if (SINGLE_SLICE.matcher(m).matches()) return "single slice";
        if ((x = LABEL_WHOLLY.matcher(m)).matches()) return x.group(1) + " left out of the SEG";
        if ((x = LABEL_PARTLY.matcher(m)).matches()) return x.group(1) + " partly left out of the SEG";
        return m.length() > MAX_OTHER ? m.substring(0, MAX_OTHER - 1) + "\u2026" : m;
    }

    private static String count(String n, String one, String many) {
        return n + " " + ("1".equals(n) ? one : many);
    }
}
