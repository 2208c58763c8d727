package org.seggateway.gateway.worklist;

import java.util.List;

/** One page of studies, most recently received first. */
public record StudyPage(int page, int size, long total, List<StudyView> studies) {
}
