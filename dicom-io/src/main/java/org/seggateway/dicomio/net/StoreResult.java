package org.seggateway.dicomio.net;

import java.util.List;

/** Per-file outcomes of {@link DicomSender#store}, in the order the files were given. */
public record StoreResult(RemoteAe peer, List<StoreOutcome> outcomes) {

    public StoreResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allStored() {
        return outcomes.stream().allMatch(StoreOutcome::stored);
    }

    public List<StoreOutcome> failures() {
        return outcomes.stream().filter(o -> !o.stored()).toList();
    }

    public long storedCount() {
        return outcomes.stream().filter(StoreOutcome::stored).count();
    }
}
