package org.seggateway.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.seggateway.dicomio.volume.VolumeLimits;

/**
 * The gateway's own settings, prefix {@code seg-gateway} (environment: {@code SEG_GATEWAY_...}). Checked when loaded,
 * before anything starts: the constraints on single values and {@link ConfigurationCrossChecks}, every problem in one
 * failure. The reference docs/configuration.md is generated from this interface ({@code ConfigurationReference}).
 */
@ConfigMapping(prefix = "seg-gateway")
@CrossChecked
public interface GatewayConfig {

    /** Where received instances and built SEGs are kept. */
    Path spool();

    Scp scp();

    Completion completion();

    Retention retention();

    Queue queue();

    VolumeLimitsConfig volumeLimits();
    Jobs jobs();

    /** Folder that relative model package references of the routes resolve against (default: working folder). */
    Optional<Path> modelRoot();

    Delivery delivery();

    /** Routes by name: which series go to which models and destinations. */
    Map<String, Route> routes();

    /** PACS destinations by name. */
    Map<String, Destination> destinations();

    RoutingRules routingRules();

    Reprocess reprocess();

    /** HTTP endpoints told of delivery outcomes, by name. */
    Map<String, Webhook> webhooks();

    /** RIS endpoints told of each delivered result by an HL7 v2 ORU^R01 over MLLP, by name (docs/operator-guide.md). */
    Map<String, Hl7Receiver> hl7();

    /** FHIR R4 servers told of each delivered result by a transaction bundle, by name (docs/operator-guide.md). */
    Map<String, FhirServer> fhir();

    /** Local API users (HTTP Basic) by name: a bcrypt password hash and roles (docs/operator-guide.md: Access control). */
    Map<String, LocalUser> users();

    interface LocalUser {
        /** bcrypt, $2a$/$2b$/$2y$ with cost at least 10, as {@code bin/seg-gateway hash-password} prints it. */
        String passwordHash();

        /** Among viewer, operator, auditor, admin. */
        List<String> roles();
    }

    /** DICOMweb STOW-RS ingress at POST /dicomweb/studies (docs/http-api.md: DICOMweb). */
    StowRs stowRs();

    interface StowRs {
        /** Off: the STOW-RS endpoint answers 404 and stores nothing. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The API users allowed to store by STOW-RS, each with the AE title its instances are recorded under as their
         * source (what routes' {@code match.calling-ae-titles} compare), e.g. {@code senders."ris-bridge"=RISBRIDGE}.
         * Any other user gets 403; none listed: nobody may store.
         */
        Map<String, String> senders();
    }

    Notifications notifications();

    Audit audit();

    /** Exposure of the HTTP API (docs/operator-guide.md: Limits and hardening). */
    Http http();

    interface Http {
        /**
         * Allows plain HTTP on an address other than loopback, for a gateway behind a TLS-terminating proxy on the same
         * host or pod; otherwise such a configuration is refused at start.
         */
        @WithDefault("false")
        boolean allowPlainOnNetwork();

        LoginFailures loginFailures();
    }

    /**
     * Failed-login throttle per source address: after {@code max} requests with wrong credentials (401) within
     * {@code window}, the address gets 429 without its credentials being checked for {@code lockout}.
     */
    interface LoginFailures {
        /** Requests with wrong credentials from one address within {@code window} that lock the address out. */
        @WithDefault("5")
        @Min(1)
        int max();

        /** The time within which {@code max} failures lock an address out. */
        @WithDefault("1m")
        @PositiveAmount
        Duration window();

        /** How long a locked-out address gets 429 (with Retry-After; audited {@code api.denied}, outcome throttled). */
        @WithDefault("5m")
        @PositiveAmount
        Duration lockout();

        /** Most source addresses tracked at once (memory bound); beyond it the oldest entries are dropped. */
        @WithDefault("10000")
        @Min(1)
        int maxAddresses();
    }

    Database database();

    /** The gateway's own database checks (the connection itself: {@code quarkus.datasource.*}). */
    interface Database {
        /** Allows a start without quarkus.datasource.password (e.g. client-certificate login); otherwise refused at start. */
        @WithDefault("false")
        boolean allowNoPassword();
    }

    /** The audit trail's export and the aggregation of denied API requests. */
    interface Audit {
        Syslog syslog();

        DeniedRequests denied();
    }

    /**
     * API requests answered 401/403 are counted in memory per user, source address, status and API section, and written
     * as one {@code api.denied} row per such group at most every {@code flush-every}, so that a flood of them neither
     * fills the audit table nor holds the audit chain's lock.
     */
    interface DeniedRequests {
        /** How often the counted requests are written (and at shutdown). */
        @WithDefault("1m")
        @PositiveAmount
        Duration flushEvery();

        /** Most groups (rows) per flush; requests from further sources are counted in one row per section and status. */
        @WithDefault("1000")
        @Min(1)
        int maxRows();
    }

    /**
     * Export of the audit trail, row by row in id order, as DICOM audit messages (PS3.15 A.5) in RFC 5424 syslog
     * messages to an audit record repository (IHE ATNA).
     */
    interface Syslog {
        /** Export every audit row, in id order, at least once (the position moves after each message). */
        @WithDefault("false")
        boolean enabled();

        /** The receiver (audit record repository); with tls its certificate must name this host. */
        @WithDefault("127.0.0.1")
        @NotBlank
        String host();

        /** The receiver's port. */
        @WithDefault("514")
        @Min(1)
        @Max(65535)
        int port();

        /** tcp (RFC 6587 octet counting), tls (RFC 5425, needs trust-store) or udp (RFC 5426). */
        @WithDefault("tcp")
        SyslogProtocol protocol();

        /** APP-NAME of the syslog header (at most 48 printable ASCII characters). */
        @WithDefault("seg-gateway")
        @Pattern(regexp = "[\\x21-\\x7E]{1,48}", message = "must be 1 to 48 printable ASCII characters without spaces")
        String appName();

        /** Syslog facility, 0 to 23; IHE ATNA asks for 10 (security/authorization). */
        @WithDefault("10")
        @Min(0)
        @Max(23)
        int facility();

        /** AuditSourceID of the messages and HOSTNAME of their header; default this machine's name. */
        Optional<String> auditSourceId();

        /** IANA private enterprise number of the structured-data element carrying the row id and hash. */
        @WithDefault("32473")
        @Min(1)
        int enterpriseNumber();

        /** TLS: trust store (PKCS12 or JKS) with the repository's certificate or its CA. */
        Optional<Path> trustStore();

        /** Password of {@code trust-store}. */
        Optional<String> trustStorePassword();

        /** TLS: key store with this gateway's client certificate, when the repository asks for one. */
        Optional<Path> keyStore();

        /** Password of {@code key-store}. */
        Optional<String> keyStorePassword();

        /** Time limit of a connection attempt and of one send. */
        @WithDefault("10s")
        @PositiveAmount
        Duration timeout();

        /** How often new audit rows are looked for when everything has been sent. */
        @WithDefault("1s")
        @PositiveAmount
        Duration pollEvery();

        /** Wait after the first failed send; doubled after each further failure, up to max-backoff. */
        @WithDefault("1s")
        @PositiveAmount
        Duration initialBackoff();

        /** The longest wait between failed sends. */
        @WithDefault("60s")
        @PositiveAmount
        Duration maxBackoff();
    }

    enum SyslogProtocol {
        TCP, TLS, UDP
    }

    /** The DICOM listener (C-ECHO, C-STORE); received files go to {@code <spool>/incoming}, then into the spool. */
    interface Scp {
        /** Off: no DICOM listener (the API and the pipeline run). */
        @WithDefault("true")
        boolean enabled();

        /** The address the listener binds to: the imaging network's interface in production. */
        @WithDefault("127.0.0.1")
        @NotBlank
        String bindAddress();

        /** The listener's TCP port; 0: any free port (tests). */
        @WithDefault("11112")
        @Min(0)
        @Max(65535)
        int port();

        /** The listener's own (called) AE title. */
        @WithDefault("SEGGATEWAY")
        @AeTitle
        String aeTitle();

        /** Calling AE titles allowed to associate; empty = any. */
        Optional<List<@AeTitle String>> allowedCallingAeTitles();

        /** An association that sends nothing for this long is aborted. */
        @WithDefault("60s")
        @PositiveAmount
        Duration idleTimeout();

        /** Largest PDU we offer to receive. */
        @WithDefault("65536")
        @Min(1024)
        int maxPduLength();

        /**
         * Transfer syntaxes accepted for storage, by name or UID, most preferred first (docs/conformance-statement.md,
         * 3.1.2): explicit-vr-little-endian, implicit-vr-little-endian, deflated-explicit-vr-little-endian,
         * jpeg-ls-lossless, jpeg-2000-lossless, jpeg-lossless-sv1, jpeg-lossless, rle-lossless, jpeg-ls-near-lossless,
         * jpeg-2000, jpeg-baseline, jpeg-extended. Leave one out to refuse it; each must be decodable here.
         */
        @WithDefault("explicit-vr-little-endian,implicit-vr-little-endian,deflated-explicit-vr-little-endian,jpeg-ls-lossless,jpeg-2000-lossless,jpeg-lossless-sv1,jpeg-lossless,rle-lossless,jpeg-ls-near-lossless,jpeg-2000,jpeg-baseline,jpeg-extended")
        List<String> transferSyntaxes();

        /**
         * Where a presentation context offers several accepted transfer syntaxes: {@code sender}, the first the sender
         * lists (its files' own, no transcoding asked); {@code configured}, the first of {@code transfer-syntaxes}.
         */
        @WithDefault("sender")
        TransferSyntaxPreference transferSyntaxPreference();

        /** Bounds on what one peer can make the listener hold (docs/operator-guide.md: Limits and hardening). */
        ScpLimits limits();

        /**
         * Per calling AE title, the addresses it must come from (IP addresses or CIDR blocks, comma separated), e.g.
         * {@code callers."CT01"=10.1.2.0/24,10.1.3.7}; a title not listed may come from anywhere.
         */
        Map<String, String> callers();

        /** DICOM TLS on the listener (docs/operator-guide.md: Production checklist). */
        ScpTls tls();
    }

    /** Whose order picks among several accepted transfer syntaxes of one presentation context. */
    enum TransferSyntaxPreference {
        SENDER, CONFIGURED
    }

    /** DICOM TLS of the listener: TLS 1.2/1.3 only. */
    interface ScpTls {
        /** The live listener speaks TLS only; needs {@code key-store} and {@code key-store-password}. */
        @WithDefault("false")
        boolean enabled();

        /** PKCS12 or JKS key store with the listener's private key and certificate chain. */
        Optional<Path> keyStore();

        /** Password of {@code key-store}. */
        Optional<String> keyStorePassword();

        /** Trust store with the callers' CA or certificates; needed for require-client-certificate. */
        Optional<Path> trustStore();

        /** Password of {@code trust-store}. */
        Optional<String> trustStorePassword();

        /** Callers must present a certificate the trust store vouches for. */
        @WithDefault("false")
        boolean requireClientCertificate();
    }

    /** The DICOM listeners' bounds (live listener and retrieve listener). */
    interface ScpLimits {
        /** Connections at once, half-open ones included; beyond: A-ASSOCIATE-RJ transient, local limit exceeded. */
        @WithDefault("64")
        @Min(1)
        int maxAssociations();

        /** The same, per remote IP address. */
        @WithDefault("16")
        @Min(1)
        int maxAssociationsPerAddress();

        /** Largest A-ASSOCIATE-RQ PDU (a real one is a few KiB); larger: A-ASSOCIATE-RJ permanent. */
        @WithDefault("65536")
        @Min(1024)
        @Max(1048576)
        int maxAssociateRequestBytes();

        /** The whole A-ASSOCIATE-RQ must arrive within this time of the connect. */
        @WithDefault("10s")
        @PositiveAmount
        Duration associateRequestTimeout();

        /** An association still open after this long is cut. */
        @WithDefault("1h")
        @PositiveAmount
        Duration maxAssociationDuration();

        /** Largest DIMSE command set; larger: the association is aborted. */
        @WithDefault("65536")
        @Min(256)
        @Max(1048576)
        int maxCommandBytes();

        /** Largest data set of one C-STORE; larger: discarded, 0xA700. */
        @WithDefault("2G")
        @PositiveAmount
        MemorySize maxInstanceSize();

        /** Free space kept on the spool's file system; below it C-STORE gets 0xA700 and nothing is written. */
        @WithDefault("1G")
        MemorySize minFreeDisk();

        /** After an A-ASSOCIATE-RJ, at most this much more is read from the peer before closing... */
        @WithDefault("8192")
        @Min(0)
        int rejectDrainBytes();

        /** ...and for at most this long. */
        @WithDefault("2s")
        @PositiveAmount
        Duration rejectDrainTime();
    }

    /** How long received instances stay in the spool once their series is finished. */
    interface Retention {
        /**
         * The instance files of a series are deleted this long after it completed, once none of its jobs waits or runs
         * and none of its SEGs waits for delivery; unset: kept for ever. Rows, SEGs and the audit trail stay.
         */
        Optional<@PositiveAmount Duration> instances();

        /** How often series due for deletion are looked for (a duration, or "off"). */
        @WithDefault("1h")
        @IntervalOrOff
        String checkEvery();
    }

    /** Series completion: a series is complete once its route's quiet time has passed since its last instance. */
    interface Completion {
        /** How often quiet series are looked for (a duration, or "off"). */
        @WithDefault("1s")
        @IntervalOrOff
        String checkEvery();
    }

    /** The Kafka side: topics, the job producer and the result consumer ({@code kafka.bootstrap.servers} says where). */
    interface Queue {
        /** Off: no topic set-up, dispatcher or result consumer (jobs wait in state 'complete'). */
        @WithDefault("true")
        boolean enabled();

        /** Partitions of each topic created at start; at least the number of workers. */
        @WithDefault("6")
        @Min(1)
        int partitions();

        /** Replication factor of the topics created at start; {@code min.insync.replicas} is min(2, this). */
        @WithDefault("1")
        @Min(1)
        short replicationFactor();

        /**
         * How long seg.jobs and seg.results keep records (retention.ms of topics the gateway creates): volumes and label
         * maps are deleted after this, consumed or not, so it must outlast the longest time workers may be down.
         */
        @WithDefault("24h")
        @PositiveAmount
        Duration retention();

        /** retention.ms of seg.jobs.dlq (header records only, no voxels). */
        @WithDefault("14d")
        @PositiveAmount
        Duration deadLetterRetention();

        /**
         * How voxels are written in the chunk records of seg.jobs: shuffle-zstd (byte planes, each chunk a zstd frame: CT
         * voxels in about half their bytes) or raw (little-endian, for workers from before shuffle-zstd: set raw while
         * such workers still run; workers read both).
         */
        @WithDefault("shuffle-zstd")
        @Pattern(regexp = "raw|shuffle-zstd", message = "must be one of raw, shuffle-zstd")
        String voxelEncoding();

        /**
         * Producer compression (Kafka compression.type) of the job records. With voxel-encoding shuffle-zstd the chunks are
         * compressed already and none is best; lz4 or zstd pay only with voxel-encoding raw on a slow network.
         */
        @WithDefault("none")
        @Pattern(regexp = "none|gzip|snappy|lz4|zstd", message = "must be one of none, gzip, snappy, lz4, zstd")
        String compression();

        /**
         * Transactional id of the job producer and, with "-results", the result consumer's group.instance.id; unique per
         * gateway instance.
         */
        @WithDefault("seg-gateway-dispatcher")
        @NotBlank
        String transactionalId();

        /** Consumer group of the result consumer. */
        @WithDefault("seg-gateway-results")
        @NotBlank
        String resultGroup();

        /** How often jobs in state 'complete' are looked for (besides every series completion). */
        @WithDefault("5s")
        @PositiveAmount
        Duration dispatchEvery();

        /** Time limit of Kafka admin calls (topic set-up, health) and of a blocked send. */
        @WithDefault("10s")
        @PositiveAmount
        Duration requestTimeout();

        /** Further Kafka client properties for every client (e.g. security.protocol of an external cluster). */
        Map<String, String> client();
    }

    /**
     * Bounds on the volume assembled for a job, checked from the headers before any pixel is read: a series beyond them
     * fails its job with the reason. Validated at start ({@link #toVolumeLimits()}).
     */
    interface VolumeLimitsConfig {
        /** Voxels (width x height x depth, depth after gap interpolation); at most 2147483639 (one Java array). */
        @WithDefault("536870912")
        @Min(1)
        @Max(VolumeLimits.ARRAY_LIMIT)
        long maxVoxels();

        /** Voxel arrays held while assembling: 2 bytes per voxel, 6 when the values may be FLOAT32. */
        @WithDefault("2G")
        @PositiveAmount
        MemorySize maxBytes();

        /** Missing slices filled by interpolation, as a share of the depth (0: any missing slice fails the job). */
        @WithDefault("0.25")
        @DecimalMin("0")
        @DecimalMax(value = "1", inclusive = false)
        double maxInterpolatedFraction();

        /** The limits for the volume reader; an {@link IllegalArgumentException} naming the key when one is out of range. */
        default VolumeLimits toVolumeLimits() {
            try {
                return new VolumeLimits(maxVoxels(), maxBytes().asLongValue(), maxInterpolatedFraction());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("seg-gateway.volume-limits." + e.getMessage(), e);
            }
        }
    }

    /** Jobs that never end: a worker that dies on them, no worker taking them, no result coming back. */
    interface Jobs {
        /**
         * A job taken up by workers this many times (its {@code started} records of attempt 1) without a result is failed
         * ("worker crashed N times on this job"); the workers dead-letter it themselves at their next delivery.
         */
        @WithDefault("3")
        @Min(1)
        int maxWorkerStarts();

        /** A job 'queued' this long (no worker took it) is failed with the reason. */
        @WithDefault("6h")
        @PositiveAmount
        Duration queuedTimeout();

        /** A job 'running' this long after its latest start (no result, no dead letter) is failed with the reason. */
        @WithDefault("1h")
        @PositiveAmount
        Duration runningTimeout();

        /** How often jobs past their timeout are looked for (a duration, or "off"). */
        @WithDefault("1m")
        @IntervalOrOff
        String timeoutCheckEvery();
    }

    /** Sending SEGs to destinations: retried with exponential backoff while a destination is down. */
    interface Delivery {
        /** How often due deliveries are looked for (a duration, or "off"). */
        @WithDefault("1s")
        @IntervalOrOff
        String checkEvery();

        /** Wait after the first failed attempt. */
        @WithDefault("5s")
        @PositiveAmount
        Duration initialBackoff();

        /** Each further failed attempt multiplies the wait by this. */
        @WithDefault("2")
        @DecimalMin("1")
        double backoffFactor();

        /** The wait never grows beyond this; attempts go on at this interval for as long as it takes. */
        @WithDefault("10m")
        @PositiveAmount
        Duration maxBackoff();

        /**
         * A destination that refuses the SEG itself (status 0xA9xx "does not match SOP class" or 0xCxxx "cannot
         * understand") this many times marks the delivery failed; any other failure is retried forever.
         */
        @WithDefault("3")
        @Min(1)
        int refusalsBeforeFailed();

        /** Deliveries sent at the same time by one gateway instance. */
        @WithDefault("4")
        @Min(1)
        int concurrency();

        /**
         * How long a claimed delivery stays away from other senders: longer than the longest C-STORE (connect timeout
         * plus the sender's read timeouts), so that a live sender's claim never runs out; a delivery whose sender died
         * is claimed again after it.
         */
        @WithDefault("10m")
        @PositiveAmount
        Duration claimLease();
    }

    /** Routing rules kept in the database and changed at run time ({@code /api/routes}), besides {@link #routes()}. */
    interface RoutingRules {
        /**
         * The rules are read again at most this long after the last reading, so that changes made through another gateway
         * sharing the database take effect; changes made through this gateway's API take effect at once.
         */
        @WithDefault("5s")
        Duration refreshEvery();
    }

    /** Batch reprocessing of past series ({@code POST /api/reprocess}). */
    interface Reprocess {
        /** How often batch jobs are looked for (a duration, or "off"). */
        @WithDefault("2s")
        @IntervalOrOff
        String checkEvery();

        /**
         * Batch jobs on the queue or running at one time, over all batches and gateways. Live jobs share the queue, so
         * a live series waits behind at most this many batch jobs.
         */
        @WithDefault("1")
        @Min(0)
        int maxInFlight();

        /** Largest number of series one request may select. */
        @WithDefault("5000")
        @Min(1)
        int maxSeries();

        /**
         * The destination (a name under {@code seg-gateway.destinations}) that series are retrieved from by C-MOVE when
         * the spool no longer holds all their instances; unset: such series fail.
         */
        Optional<String> retrieveFrom();

        Retrieve retrieve();
    }

    /** The listener that takes the C-MOVE sub-operations of a retrieval (the PACS must know this AE title, host and port). */
    interface Retrieve {
        /** The AE title the PACS moves the instances to; it accepts only the AE title of {@code retrieve-from}. */
        @WithDefault("SEGGW-RETRIEVE")
        @AeTitle
        String aeTitle();

        /** The address the retrieve listener binds to. */
        @WithDefault("127.0.0.1")
        @NotBlank
        String bindAddress();

        /** The retrieve listener's TCP port; 0: any free port (tests). */
        @WithDefault("11113")
        @Min(0)
        @Max(65535)
        int port();

        /** A job whose PACS could not be reached is tried again after this long. */
        @WithDefault("1m")
        @PositiveAmount
        Duration retryAfter();
    }

    /**
     * A route: which completed series go to which model packages, and where their SEGs are sent. Its values are checked
     * by {@link ConfigurationCrossChecks}, not by constraints here: routing rules of the database implement this
     * interface too, and a constraint here would make Quarkus validate their methods.
     */
    interface Route {
        /** When several routes match a series, the lowest number wins (ties: by name). */
        @WithDefault("100")
        int priority();

        /** Quiet time after the last instance before the series counts as complete (positive). */
        @WithDefault("10s")
        Duration quietTime();

        Match match();

        /** Model packages (folders under {@code model-root}) to run. */
        List<String> models();

        /** Names of {@link #destinations()} entries to send the SEG to. */
        List<String> destinations();

        /**
         * Whether each result also gets a measurement report, a DICOM Enhanced SR (TID 1500) with the volume and mean of
         * every segment, written beside the SEG and sent with it in the same delivery to the same destinations.
         */
        @WithDefault("true")
        boolean measurementReport();
    }

    /** The conditions a series must meet to take the route; every condition stated must hold, none stated: any series. */
    interface Match {
        /** The calling AE title of the association that sent the series is one of these. */
        Optional<List<String>> callingAeTitles();

        /** Modality (0008,0060) is one of these, e.g. CT, MR. */
        Optional<List<String>> modalities();

        /** Body Part Examined (0018,0015) is one of these. */
        Optional<List<String>> bodyParts();

        /** Java regular expression the whole Series Description must match. */
        Optional<String> seriesDescription();

        /** Values that must all be present in Image Type (e.g. ORIGINAL, AXIAL). */
        Optional<List<String>> imageType();

        /** The series has at least this many instances (at least 1). */
        Optional<Integer> minSlices();

        /** At least one instance of the series has one of these SOP Class UIDs. */
        Optional<List<String>> sopClasses();
    }

    /**
     * A PACS that SEGs are sent to, and that reprocessing may retrieve from: a C-STORE SCP ({@code kind=dimse}, needs
     * host, port and ae-title) or a DICOMweb STOW-RS service ({@code kind=stow-rs}, needs url).
     */
    interface Destination {
        /** dimse: its host name or address. */
        Optional<String> host();

        /** dimse: its DICOM port (1 to 65535). */
        Optional<Integer> port();

        /** dimse: called AE title, the PACS's own. */
        Optional<@AeTitle String> aeTitle();

        /** The AE title the gateway calls from (dimse; recorded as the sender in the audit trail for both kinds). */
        @WithDefault("SEGGATEWAY")
        @AeTitle
        String callingAeTitle();

        // DIMSE association settings: transfer syntaxes and DICOM TLS (checked in ConfigurationCrossChecks.dimse)

        /**
         * Transfer syntax UIDs the destination accepts for the SEG and the measurement report, in its order of
         * preference; they are offered in this order and the object is sent in the one the destination accepts. The
         * gateway writes 1.2.840.10008.1.2.1 (Explicit VR Little Endian), 1.2.840.10008.1.2 (Implicit VR Little
         * Endian) and 1.2.840.10008.1.2.1.99 (Deflated Explicit VR Little Endian); others are ignored, and a list
         * with none of these refuses the start.
         */
        @WithDefault("1.2.840.10008.1.2.1,1.2.840.10008.1.2")
        List<String> transferSyntaxes();

        /** DICOM TLS to this destination (C-STORE, and C-FIND/C-MOVE when reprocessing retrieves from it). */
        DestinationTls tls();

        // --- DICOMweb (stow-rs) destinations; kept together for merges ---

        /** How SEGs are sent: dimse (C-STORE) or stow-rs (DICOMweb STOW-RS, one multipart request per delivery). */
        @WithDefault("dimse")
        DestinationKind kind();

        /** stow-rs: the DICOMweb base URL (http or https), e.g. http://pacs:8042/dicom-web; requests go to {@code <url>/studies}. */
        Optional<URI> url();

        /** stow-rs: how the gateway authenticates to the DICOMweb service. */
        DestinationAuth auth();

        /** stow-rs: limit of one request, from connecting to the end of the response. */
        @WithDefault("60s")
        @PositiveAmount
        Duration timeout();
    }

    /** TLS 1.2/1.3 only, the JDK's default cipher suites (docs/conformance-statement.md, section 6.1). */
    interface DestinationTls {
        /** Associate over TLS only. */
        @WithDefault("false")
        boolean enabled();

        /** PKCS12 or JKS trust store with the destination's CA or certificate; without it, the JDK's default CAs. */
        Optional<Path> trustStore();

        /** Password of {@code trust-store}. */
        Optional<String> trustStorePassword();

        /** PKCS12 or JKS key store with the gateway's client certificate and key, for destinations that require one. */
        Optional<Path> keyStore();

        /** Password of {@code key-store} (also the key's). */
        Optional<String> keyStorePassword();

        /** The destination's host name must match its certificate (subject alternative names). */
        @WithDefault("true")
        boolean verifyHostName();
    }

    /** The kinds of destinations. */
    enum DestinationKind {
        DIMSE, STOW_RS
    }

    /** Credentials a stow-rs destination is called with. */
    interface DestinationAuth {
        /** none, basic (user and password) or bearer (token). */
        @WithDefault("none")
        DestinationAuthType type();

        /** basic: the user name. */
        Optional<String> user();

        /** basic: the password. */
        Optional<String> password();

        /** bearer: the token sent as {@code Authorization: Bearer <token>}. */
        Optional<String> token();
    }

    enum DestinationAuthType {
        NONE, BASIC, BEARER
    }

    /** An HTTP endpoint that gets a JSON POST when a SEG has been delivered to a destination, or its delivery failed. */
    interface Webhook {
        /** http or https URL the notifications are POSTed to. */
        URI url();

        /** The delivery outcomes this webhook is told of: delivered, failed. */
        @WithDefault("delivered,failed")
        List<String> events();

        /** Further request headers, e.g. {@code headers."Authorization"=Bearer ...}. */
        Map<String, String> headers();

        /** Limit of one request, from connecting to the response status. */
        @WithDefault("10s")
        @PositiveAmount
        Duration timeout();
    }

    /**
     * An HL7 v2 receiver (a RIS) that gets one ORU^R01 per delivered result over MLLP, with the patient ID and accession
     * number it sent and the segment measurements; retried like the webhooks until acknowledged AA.
     */
    interface Hl7Receiver {
        /** Host name or address of the receiver's MLLP listener. */
        @NotBlank
        String host();

        /** Its TCP port. */
        @Min(1)
        @Max(65535)
        int port();

        /** MSH-3. */
        @WithDefault("SEG_GATEWAY")
        @NotBlank
        String sendingApplication();

        /** MSH-4. */
        @WithDefault("SEG_GATEWAY")
        @NotBlank
        String sendingFacility();

        /** MSH-5. */
        @WithDefault("RIS")
        @NotBlank
        String receivingApplication();

        /** MSH-6. */
        @WithDefault("RIS")
        @NotBlank
        String receivingFacility();

        /** MSH-11: P (production), T (training) or D (debugging). */
        @WithDefault("P")
        @Pattern(regexp = "[PTD]", message = "must be P, T or D")
        String processingId();

        /** Limit of one exchange: connecting, sending and reading the acknowledgment. */
        @WithDefault("30s")
        @PositiveAmount
        Duration timeout();
    }

    /** A FHIR R4 server that gets one transaction bundle per delivered result (ImagingStudy, DiagnosticReport, Observations). */
    interface FhirServer {
        /** http or https base URL of the server; the bundle is POSTed to it. */
        URI url();

        /** Sent as {@code Authorization: Bearer ...}; none when absent. */
        Optional<String> bearerToken();

        /** The system of the patient identifiers the RIS sends (Patient.identifier.system), e.g. urn:oid:1.2.3. */
        Optional<URI> patientIdentifierSystem();

        /** Limit of one request, from connecting to the response status. */
        @WithDefault("30s")
        @PositiveAmount
        Duration timeout();
    }

    /** Sending webhook notifications: retried with exponential backoff until sent or given up. */
    interface Notifications {
        /** How often due notifications are looked for (a duration, or "off"). */
        @WithDefault("1s")
        @IntervalOrOff
        String checkEvery();

        /** Wait after the first failed attempt. */
        @WithDefault("5s")
        @PositiveAmount
        Duration initialBackoff();

        /** Each further failed attempt multiplies the wait by this. */
        @WithDefault("2")
        @DecimalMin("1")
        double backoffFactor();

        /** The wait never grows beyond this. */
        @WithDefault("10m")
        @PositiveAmount
        Duration maxBackoff();

        /** A notification still not accepted after this many attempts is marked failed. */
        @WithDefault("50")
        @Min(1)
        int maxAttempts();

        /** A notification still not accepted this long after its event is marked failed (at its next failed attempt). */
        @WithDefault("24h")
        @PositiveAmount
        Duration maxAge();

        /** Notifications sent at the same time by one gateway instance. */
        @WithDefault("4")
        @Min(1)
        int concurrency();

        /** How long a claimed notification stays away from other senders: longer than every webhook's timeout. */
        @WithDefault("10m")
        @PositiveAmount
        Duration claimLease();
    }

    Worklist worklist();

    /** The worklist page. */
    interface Worklist {
        /**
         * The "open in viewer" link of each study on the worklist page, e.g.
         * https://ohif.example.org/viewer?StudyInstanceUIDs={studyInstanceUid}: http or https, with the placeholders
         * {studyInstanceUid} and {accessionNumber} (only these) replaced by the study's values, URL-encoded; a study
         * without an accession number gets no link from a template that names it. Checked at start. Unset: no link.
         */
        Optional<@ViewerUrl String> viewerUrl();
    }
}
