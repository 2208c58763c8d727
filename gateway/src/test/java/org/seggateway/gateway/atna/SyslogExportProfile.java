package org.seggateway.gateway.atna;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The gateway exporting its audit trail by TCP to a real rsyslogd that this profile starts (and the tests stop and restart). */
public class SyslogExportProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Rsyslog.class));
    }

    /** Starts rsyslogd before the gateway and points the export at it. */
    public static class Rsyslog implements QuarkusTestResourceLifecycleManager {
        private static volatile RsyslogDaemon daemon;

        public static RsyslogDaemon daemon() {
            return daemon;
        }

        @Override
        public Map<String, String> start() {
            try {
                Path folder = Files.createTempDirectory(Path.of("target"), "rsyslog-");
                daemon = RsyslogDaemon.start(folder.toAbsolutePath());
            } catch (Exception e) {
                throw new IllegalStateException("rsyslogd did not start (scripts/setup.sh installs it): " + e.getMessage(), e);
            }
            return Map.of("seg-gateway.audit.syslog.enabled", "true",
                    "seg-gateway.audit.syslog.host", "127.0.0.1",
                    "seg-gateway.audit.syslog.port", Integer.toString(daemon.port()),
                    "seg-gateway.audit.syslog.protocol", "tcp",
                    "seg-gateway.audit.syslog.audit-source-id", "gw-test",
                    "seg-gateway.audit.syslog.poll-every", "100ms",
                    "seg-gateway.audit.syslog.initial-backoff", "200ms",
                    "seg-gateway.audit.syslog.max-backoff", "1s");
        }

        @Override
        public void stop() {
            try {
                if (daemon != null) daemon.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
