package org.seggateway.dicomio.net;

import java.nio.file.Path;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Configuration of a {@link DicomReceiver}.
 *
 * @param bindAddress            interface to listen on ({@code 0.0.0.0} for all; the default is loopback)
 * @param port                   TCP port; 0 picks a free ephemeral port, read it back with {@link DicomReceiver#port()}
 * @param aeTitle                our (called) AE title; associations calling another title are rejected
 * @param allowedCallingAeTitles calling AE titles that may associate; empty means any
 * @param incomingDirectory      where received instances are written before the {@link StorageHandler} sees them
 * @param maxPduLength           the maximum PDU length we offer to receive
 * @param idleTimeout            an association that sends nothing for this long is aborted
 * @param releaseWait            how long to wait for the peer to close the connection after A-RELEASE-RP (PixelMed
 *                               waits 5 s; process-wide, see {@link PixelMedTuning})
 * @param shutdownTimeout        how long {@link DicomReceiver#close()} waits for running associations
 * @param limits                 bounds on connections, PDU, command and data set sizes, times and free disk
 * @param callerAddresses        per calling AE title, the addresses it must come from; a title not in the map may
 *                               come from anywhere (the title allow-list still applies)
 * @param tls                    DICOM TLS on the listening port; null for plain TCP
 * @param transferSyntaxes       the transfer syntaxes accepted for storage and whose order decides
 */
public record ReceiverConfig(String bindAddress, int port, String aeTitle, Set<String> allowedCallingAeTitles,
                             Path incomingDirectory, int maxPduLength, Duration idleTimeout, Duration releaseWait,
                             Duration shutdownTimeout, ReceiverLimits limits,
                             Map<String, List<AddressRange>> callerAddresses, ReceiverTls tls,
                             AcceptedTransferSyntaxes transferSyntaxes) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 65536;

    public ReceiverConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        aeTitle = AeTitles.check(aeTitle, "receiver AE title");
        allowedCallingAeTitles = allowedCallingAeTitles == null ? Set.of()
                : allowedCallingAeTitles.stream().map(t -> AeTitles.check(t, "allowed calling AE title"))
                        .collect(Collectors.toUnmodifiableSet());
        Objects.requireNonNull(incomingDirectory, "incomingDirectory");
        if (maxPduLength < 4096 || maxPduLength > 1 << 24)
            throw new IllegalArgumentException("maxPduLength must be 4096..16777216: " + maxPduLength);
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(releaseWait, "releaseWait");
        requirePositive(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(limits, "limits");
        if (transferSyntaxes == null) transferSyntaxes = AcceptedTransferSyntaxes.defaults();
        callerAddresses = callerAddresses == null ? Map.of() : callerAddresses.entrySet().stream().collect(
                Collectors.toUnmodifiableMap(e -> AeTitles.check(e.getKey(), "calling AE title of an address list"),
                        e -> List.copyOf(e.getValue())));
    }

    /**
     * Loopback, ephemeral port, any caller, 64 KiB PDUs, 60 s idle timeout, 100 ms release wait, 30 s shutdown,
     * {@link ReceiverLimits#defaults()}.
     */
    public static ReceiverConfig defaults(String aeTitle, Path incomingDirectory) {
        return new ReceiverConfig("127.0.0.1", 0, aeTitle, Set.of(), incomingDirectory, DEFAULT_MAX_PDU_LENGTH,
                Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(30), ReceiverLimits.defaults(),
                Map.of(), null, AcceptedTransferSyntaxes.defaults());
    }

    public ReceiverConfig withBindAddress(String address) {
        return new ReceiverConfig(address, port, aeTitle, allowedCallingAeTitles, incomingDirectory, maxPduLength,
                idleTimeout, releaseWait, shutdownTimeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withPort(int newPort) {
        return new ReceiverConfig(bindAddress, newPort, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, shutdownTimeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withAllowedCallingAeTitles(Set<String> titles) {
        return new ReceiverConfig(bindAddress, port, aeTitle, titles, incomingDirectory, maxPduLength, idleTimeout,
                releaseWait, shutdownTimeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withMaxPduLength(int length) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory, length,
                idleTimeout, releaseWait, shutdownTimeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withIdleTimeout(Duration timeout) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, timeout, releaseWait, shutdownTimeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withShutdownTimeout(Duration timeout) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, timeout, limits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withLimits(ReceiverLimits newLimits) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, shutdownTimeout, newLimits, callerAddresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withCallerAddresses(Map<String, List<AddressRange>> addresses) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, shutdownTimeout, limits, addresses, tls, transferSyntaxes);
    }

    public ReceiverConfig withTransferSyntaxes(AcceptedTransferSyntaxes syntaxes) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, shutdownTimeout, limits, callerAddresses, tls, syntaxes);
    }

    public ReceiverConfig withTls(ReceiverTls newTls) {
        return new ReceiverConfig(bindAddress, port, aeTitle, allowedCallingAeTitles, incomingDirectory,
                maxPduLength, idleTimeout, releaseWait, shutdownTimeout, limits, callerAddresses, newTls, transferSyntaxes);
    }

    /** Whether {@code callingAeTitle}, if it has an address list, comes from one of its addresses. */
    public boolean allowsCallerAddress(String callingAeTitle, InetAddress address) {
        List<AddressRange> ranges = callerAddresses.get(callingAeTitle);
        return ranges == null || ranges.stream().anyMatch(r -> r.contains(address));
    }

    /** Whether {@code callingAeTitle} may open an association. */
    public boolean allowsCaller(String callingAeTitle) {
        return allowedCallingAeTitles.isEmpty() || allowedCallingAeTitles.contains(callingAeTitle);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
