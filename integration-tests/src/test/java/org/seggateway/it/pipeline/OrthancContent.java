package org.seggateway.it.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seggateway.dicomio.testing.Orthanc;

/** What Orthanc holds, through its REST API. */
public final class OrthancContent {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Orthanc orthanc;

    public OrthancContent(Orthanc orthanc) {
        this.orthanc = orthanc;
    }

    /** Orthanc's ids of the instances of every SEG series of a study. */
    public List<String> segInstances(String studyInstanceUid) throws IOException, InterruptedException {
        String query = JSON.writeValueAsString(JSON.createObjectNode().put("Level", "Series")
                .set("Query", JSON.createObjectNode().put("StudyInstanceUID", studyInstanceUid).put("Modality", "SEG")));
        List<String> instances = new ArrayList<>();
        for (JsonNode series : JSON.readTree(orthanc.post("/tools/find", query)))
            for (JsonNode instance : JSON.readTree(orthanc.get("/series/" + series.asText() + "/instances")))
                instances.add(instance.get("ID").asText());
        return instances;
    }

    /** Waits until the study has at least one SEG instance; returns all of them. */
    public List<String> awaitSegInstances(String studyInstanceUid, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> found = segInstances(studyInstanceUid);
            if (!found.isEmpty()) return found;
            Thread.sleep(250);
        }
        throw new AssertionError("no SEG of study " + studyInstanceUid + " in Orthanc within " + timeout);
    }

    /** The SOP Instance UID Orthanc has for one of its instance ids. */
    public String sopInstanceUid(String instanceId) throws IOException, InterruptedException {
        return JSON.readTree(orthanc.get("/instances/" + instanceId)).path("MainDicomTags").path("SOPInstanceUID").asText();
    }

    /** The instance as Orthanc stored it, written to {@code file}. */
    public Path download(String instanceId, Path file) throws IOException, InterruptedException {
        Files.createDirectories(file.getParent());
        return Files.write(file, orthanc.getBytes("/instances/" + instanceId + "/file"));
    }

    /** Number of instances of a series as Orthanc stores it (0 when it has none). */
    public int seriesInstanceCount(String seriesInstanceUid) throws IOException, InterruptedException {
        String query = JSON.writeValueAsString(JSON.createObjectNode().put("Level", "Instance")
                .set("Query", JSON.createObjectNode().put("SeriesInstanceUID", seriesInstanceUid)));
        return JSON.readTree(orthanc.post("/tools/find", query)).size();
    }

    /**
     * The SOP Instance UIDs of every SEG Orthanc holds, by Study Instance UID: three listings of the whole store
     * (studies, series, instances), however many there are.
     */
    public Map<String, List<String>> segSopInstanceUidsByStudy() throws IOException, InterruptedException {
        Map<String, String> studyUidById = new HashMap<>();
        for (JsonNode study : JSON.readTree(orthanc.get("/studies?expand")))
            studyUidById.put(study.get("ID").asText(), study.path("MainDicomTags").path("StudyInstanceUID").asText());
        Map<String, String> studyUidBySegSeriesId = new HashMap<>();
        for (JsonNode series : JSON.readTree(orthanc.get("/series?expand")))
            if (series.path("MainDicomTags").path("Modality").asText().equals("SEG"))
                studyUidBySegSeriesId.put(series.get("ID").asText(), studyUidById.get(series.path("ParentStudy").asText()));
        Map<String, List<String>> segs = new HashMap<>();
        for (JsonNode instance : JSON.readTree(orthanc.get("/instances?expand"))) {
            String study = studyUidBySegSeriesId.get(instance.path("ParentSeries").asText());
            if (study != null)
                segs.computeIfAbsent(study, k -> new ArrayList<>()).add(instance.path("MainDicomTags").path("SOPInstanceUID").asText());
        }
        return segs;
    }
}
