package org.seggateway.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests into the Kubernetes model classes, strictly: a field the API does not know (a misspelt
 * key, one at the wrong level) fails with its name. The model classes keep unknown fields in an "additionalProperties"
 * map through {@code @JsonAnySetter}, which Jackson's FAIL_ON_UNKNOWN_PROPERTIES alone never sees; the introspector
 * here ignores that any-setter, so unknown fields are unknown again.
 */
final class StrictManifests {
    /** The kinds the chart may render, with the API version each must carry. */
    private static final Map<String, Kind> KINDS = Map.of(
            "ConfigMap", new Kind("v1", ConfigMap.class),
            "Secret", new Kind("v1", Secret.class),
            "Service", new Kind("v1", Service.class),
            "ServiceAccount", new Kind("v1", ServiceAccount.class),
            "PersistentVolumeClaim", new Kind("v1", PersistentVolumeClaim.class),
            "StatefulSet", new Kind("apps/v1", StatefulSet.class),
            "Deployment", new Kind("apps/v1", Deployment.class),
            "PodDisruptionBudget", new Kind("policy/v1", PodDisruptionBudget.class));

    private record Kind(String apiVersion, Class<? extends HasMetadata> type) {}

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true)
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    return Boolean.FALSE;
                }
            });

    private StrictManifests() {}

    /** Every document of a multi-document YAML stream (empty ones skipped), each as its model class. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = MAPPER.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) continue;
                resources.add(parseOne(doc));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
        return resources;
    }

    private static HasMetadata parseOne(JsonNode doc) {
        String kind = doc.path("kind").asText();
        String name = doc.path("metadata").path("name").asText();
        Kind expected = KINDS.get(kind);
        if (expected == null) throw new IllegalArgumentException("kind '" + kind + "' of " + name + " is not one the chart should render");
        if (!expected.apiVersion().equals(doc.path("apiVersion").asText()))
            throw new IllegalArgumentException(kind + " " + name + ": apiVersion " + doc.path("apiVersion").asText()
                    + ", expected " + expected.apiVersion());
        try {
            return MAPPER.treeToValue(doc, expected.type());
        } catch (JsonProcessingException e) {
            String where = e instanceof JsonMappingException m ? " at " + m.getPathReference() : "";
            throw new IllegalArgumentException(kind + " " + name + ": " + e.getOriginalMessage() + where, e);
        }
    }
}
