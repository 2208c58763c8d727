package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/** The PNG thumbnail of a series' latest result ({@link ResultVolumes}, drawn by {@link ThumbnailRenderer}). */
@ApplicationScoped
public class SeriesThumbnails {
    private final ResultVolumes results;

    SeriesThumbnails(ResultVolumes results) {
        this.results = results;
    }

    /** Empty when the series has no result; an exception naming the file when the spool no longer holds it. */
    public Optional<byte[]> png(String studyUid, String seriesUid) throws SQLException, IOException {
        Optional<ResultVolumes.Loaded> loaded = results.latest(studyUid, seriesUid);
        if (loaded.isEmpty()) return Optional.empty();
        ResultVolumes.Loaded l = loaded.get();
        return Optional.of(ThumbnailRenderer.png(ThumbnailRenderer.render(l.volume(), l.labels(), l.ct())));
    }
}
