package org.seggateway.gateway.worklist;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.seggateway.gateway.config.GatewayConfig;

/** Puts the configured "open in viewer" link ({@code seg-gateway.worklist.viewer-url}) on each study; none when unset. */
@ApplicationScoped
public class ViewerLinks {
    private final Optional<ViewerUrlTemplate> template;

    ViewerLinks(GatewayConfig config) {
        this.template = config.worklist().viewerUrl().map(ViewerUrlTemplate::new);
    }

    StudyView link(StudyView study) {
        if (template.isEmpty()) return study;
        Map<String, String> values = new java.util.HashMap<>();
        values.put("studyInstanceUid", study.studyInstanceUid());
        values.put("accessionNumber", study.accessionNumber());
        return study.withViewerUrl(template.get().expand(values).orElse(null));
    }
}
