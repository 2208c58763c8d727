package org.seggateway.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's own settings, prefix {@code seg-gateway} (environment: {@code SEG_GATEWAY_...}). */
@ConfigMapping(prefix = "seg-gateway")
public interface GatewayConfig {

    /** Where received instances and built SEGs are kept. */
    Path spool();

    Scp scp();

    Completion completion();

    Delivery delivery();

    /** Routes by name: which series go to which models and destinations. */
    Map<String, Route> routes();

    /** PACS destinations by name. */
    Map<String, Destination> destinations();

    interface Scp {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String bindAddress();

        @WithDefault("11112")
        int port();

        @WithDefault("SEGGATEWAY")
        String aeTitle();

        /** Calling AE titles allowed to associate; empty = any. */
        Optional<List<String>> allowedCallingAeTitles();

        /** An association that sends nothing for this long is aborted. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Largest PDU we offer to receive. */
        @WithDefault("65536")
        int maxPduLength();
    }

    interface Completion {
        /** How often quiet series are looked for (a duration, or "off"). */
        @WithDefault("1s")
        String checkEvery();
    }

    /** Sending SEGs to destinations: retried with exponential backoff while a destination is down. */
    interface Delivery {
        /** How often due deliveries are looked for (a duration, or "off"). */
        @WithDefault("1s")
        String checkEvery();

        /** Wait after the first failed attempt. */
        @WithDefault("5s")
        Duration initialBackoff();

        /** Each further failed attempt multiplies the wait by this. */
        @WithDefault("2")
        double backoffFactor();

        /** The wait never grows beyond this; attempts go on at this interval for as long as it takes. */
        @WithDefault("10m")
        Duration maxBackoff();

        /**
         * A destination that refuses the SEG itself (status 0xA9xx "does not match SOP class" or 0xCxxx "cannot
         * understand") this many times marks the delivery failed; any other failure is retried forever.
         */
        @WithDefault("3")
        int refusalsBeforeFailed();

        /** Deliveries sent at the same time by one gateway instance. */
        @WithDefault("4")
        int concurrency();
    }

    interface Route {
        @WithDefault("100")
        int priority();

        /** Quiet time after the last instance before the series counts as complete. */
        @WithDefault("10s")
        Duration quietTime();

        Match match();

        /** Model packages (folders) to run. */
        List<String> models();

        /** Names of {@link #destinations()} entries to send the SEG to. */
        List<String> destinations();
    }

    interface Match {
        Optional<List<String>> callingAeTitles();

        Optional<List<String>> modalities();

        Optional<List<String>> bodyParts();

        /** Java regular expression the whole Series Description must match. */
        Optional<String> seriesDescription();

        /** Values that must all be present in Image Type (e.g. ORIGINAL, AXIAL). */
        Optional<List<String>> imageType();

        Optional<Integer> minSlices();

        Optional<List<String>> sopClasses();
    }

    interface Destination {
        String host();

        int port();

        String aeTitle();

        @WithDefault("SEGGATEWAY")
        String callingAeTitle();
    }
}
