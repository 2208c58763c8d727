package org.seggateway.gateway.routing;

import java.util.List;
import java.util.Set;

/** What routing rules may look at for one completed series. */
public record SeriesFacts(String callingAeTitle, String modality, String bodyPart, String seriesDescription,
                          List<String> imageType, int instanceCount, Set<String> sopClassUids) {
}
