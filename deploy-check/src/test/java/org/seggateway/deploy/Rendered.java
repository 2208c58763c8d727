package org.seggateway.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Properties;

/** The manifests of one rendering, looked up by kind and name (release "seg", so names start with "seg-seg-gateway"). */
record Rendered(List<HasMetadata> resources) {
    static final String PREFIX = Chart.RELEASE + "-seg-gateway";

    <T extends HasMetadata> T get(Class<T> kind, String suffix) {
        String name = PREFIX + suffix;
        return resources.stream().filter(kind::isInstance).map(kind::cast).filter(r -> r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new NoSuchElementException(kind.getSimpleName() + " " + name + " not rendered"));
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    StatefulSet gateways() {
        return get(StatefulSet.class, "-gateway");
    }

    Container gateway() {
        return gateways().getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    Deployment workers() {
        return get(Deployment.class, "-worker");
    }

    Container worker() {
        return workers().getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    ConfigMap config() {
        return get(ConfigMap.class, "-config");
    }

    Properties applicationProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(config().getData().get("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    Secret secret() {
        return get(Secret.class, "-secrets");
    }

    Service service(String suffix) {
        return get(Service.class, suffix);
    }

    PodDisruptionBudget pdb(String suffix) {
        return get(PodDisruptionBudget.class, suffix);
    }

    PersistentVolumeClaim claim(String suffix) {
        return get(PersistentVolumeClaim.class, suffix);
    }

    /** The container port a probe or Service names (by name or number). */
    static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) return port.getIntVal();
        return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new NoSuchElementException("container " + c.getName() + " has no port " + port.getStrVal()));
    }

    /** Where a container mounts the volume of that name. */
    static String mountPath(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(c.getName() + " mounts no volume " + volume)).getMountPath();
    }
}
