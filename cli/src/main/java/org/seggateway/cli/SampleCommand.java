package org.seggateway.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Writes the bundled synthetic sample series (a CT phantom with a liver and a lesion) to DIR.")
final class SampleCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "output folder")
    Path directory;

    @Option(names = "--modality", defaultValue = "CT", description = "CT or MR (default ${DEFAULT-VALUE})")
    SyntheticSeries.Modality modality;

    @Option(names = "--size", split = "x", description = "ROWSxCOLUMNSxSLICES, default 128x128x64")
    int[] size = {128, 128, 64};

    @Override
    public Integer call() throws Exception {
        SyntheticSeries series = modality == SyntheticSeries.Modality.CT ? SyntheticSeries.ct() : SyntheticSeries.mr();
        if (size.length != 3) throw new IllegalArgumentException("--size needs ROWSxCOLUMNSxSLICES");
        SyntheticSeries.Written w = series.size(size[0], size[1], size[2]).spacing(2.5, 2.5, 2.5).write(directory);
        System.out.printf("wrote %d files (%.1f MB) of series %s to %s%n", w.files().size(), w.bytes() / 1e6,
                w.seriesInstanceUid(), w.directory());
        return 0;
    }
}
