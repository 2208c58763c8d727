package org.seggateway.it.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.seggateway.dicomio.synthetic.SyntheticSeries;
import org.seggateway.dicomio.testing.Dcmtk;

/**
 * One modality of the load test: until the deadline, writes a few small synthetic CT series (64x64, 20 to 40 slices,
 * each in a study of its own) and sends them in turn over one {@code storescu} association, then records in the
 * ledger what the gateway answered for each file. The files are deleted once sent; the ledger keeps the SHA-256 of
 * every acknowledged data set.
 */
final class SeriesSender implements Runnable {
    /** Generous: CI machines may be busy, and the gateway answers each C-STORE only once the instance is durable. */
    private static final Duration ASSOCIATION_TIMEOUT = Duration.ofMinutes(10);
    private final int index;
    private final Pipeline pipeline;
    private final Path folder;
    private final Instant deadline;
    private final int seriesPerAssociation;
    private final LoadLedger ledger;
    private final SplittableRandom random;

    SeriesSender(int index, Pipeline pipeline, Path folder, Instant deadline, int seriesPerAssociation, LoadLedger ledger) {
        this.index = index;
        this.pipeline = pipeline;
        this.folder = folder;
        this.deadline = deadline;
        this.seriesPerAssociation = seriesPerAssociation;
        this.ledger = ledger;
        this.random = new SplittableRandom(1000 + index);
    }

    @Override
    public void run() {
        try {
            for (int association = 0; Instant.now().isBefore(deadline); association++)
                sendOneAssociation(folder.resolve("a" + association));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendOneAssociation(Path batch) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        Map<String, SentFile> byFile = new HashMap<>();
        List<LoadLedger.SentSeries> batchSeries = new ArrayList<>();
        for (int i = 0; i < seriesPerAssociation; i++) {
            SyntheticSeries.Written s = SyntheticSeries.ct().size(64, 64, 20 + random.nextInt(21)).spacing(3.0, 3.0, 4.0)
                    .noise(5, random.nextLong()).patient("Load^Sender" + index, "LOAD" + index, "L" + index)
                    .write(batch.resolve("s" + i));
            for (int k = 0; k < s.files().size(); k++) {
                Path f = s.files().get(k);
                files.add(f);
                byFile.put(f.toString(), new SentFile(s.sopInstanceUids().get(k), s.seriesInstanceUid(), DataSetSha256.of(f)));
            }
            batchSeries.add(new LoadLedger.SentSeries(s.studyInstanceUid(), s.seriesInstanceUid(), s.files().size()));
        }
        batchSeries.forEach(ledger::sent);
        ledger.association();
        Dcmtk.Result result = Dcmtk.run(ASSOCIATION_TIMEOUT, storescu(files));
        Map<String, String> responses = StoreResponses.parse(result.output());
        for (Map.Entry<String, String> r : responses.entrySet()) {
            SentFile sent = byFile.get(r.getKey());
            if (sent == null) continue;
            if (r.getValue().equals("Success"))
                ledger.acknowledged(new LoadLedger.AcknowledgedInstance(sent.sopInstanceUid(), sent.seriesInstanceUid(), sent.sha256()));
            else ledger.answered(r.getValue(), 1);
        }
        int unanswered = files.size() - responses.size();
        if (unanswered > 0) ledger.answered("no response", unanswered);
        if (result.exitCode() != 0 || unanswered > 0)
            ledger.failedAssociation("sender " + index + ": storescu exit " + result.exitCode() + ", " + unanswered
                    + " files without response: " + result.output().lines().filter(l -> l.startsWith("E:") || l.startsWith("F:"))
                    .limit(5).toList());
        deleteTree(batch);
    }

    /**
     * One association: verbose (a line per response), {@code --no-halt} (a refused instance does not end the
     * association, as with a modality), a calling AE of this sender's own.
     */
    private List<String> storescu(List<Path> files) {
        List<String> command = new ArrayList<>(List.of("storescu", "-v", "--no-halt", "-aet", callingAeTitle(index),
                "-aec", Pipeline.GATEWAY_AE, "127.0.0.1", Integer.toString(pipeline.scpPort())));
        files.forEach(f -> command.add(f.toString()));
        return command;
    }

    static String callingAeTitle(int index) {
        return String.format(Locale.ROOT, "LOAD%02d", index + 1);
    }

    private record SentFile(String sopInstanceUid, String seriesInstanceUid, String sha256) {
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
