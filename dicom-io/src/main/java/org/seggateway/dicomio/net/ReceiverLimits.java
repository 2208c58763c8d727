package org.seggateway.dicomio.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The bounds a {@link DicomReceiver} holds every peer to, so that no peer can make it hold unbounded memory, threads,
 * sockets or disk.
 *
 * @param maxAssociations            connections served at once, half-open ones (A-ASSOCIATE-RQ not yet complete)
 *                                   included; beyond it A-ASSOCIATE-RJ transient, local limit exceeded
 * @param maxAssociationsPerAddress  the same, per remote IP address
 * @param maxAssociateRequestBytes   the largest A-ASSOCIATE-RQ PDU accepted (a real one is a few KiB)
 * @param associateRequestTimeout    the whole A-ASSOCIATE-RQ must arrive within this time of the connect
 * @param maxAssociationDuration     an association still open after this long is cut (connection closed)
 * @param maxCommandBytes            the largest DIMSE command set accepted (a real one is well under 1 KiB);
 *                                   beyond it the association is aborted
 * @param maxDataSetBytes            the largest C-STORE data set accepted; beyond it the rest is read and discarded
 *                                   and the C-STORE answered 0xA700 with the reason in Error Comment
 * @param minFreeDiskBytes           when a folder in {@code diskFloorPaths} (and the incoming folder) has less usable
 *                                   space, C-STORE is answered 0xA700 without writing anything
 * @param diskFloorPaths             more folders whose free space counts (e.g. the spool the handler moves files to)
 * @param rejectDrainBytes           after an A-ASSOCIATE-RJ at most this much is read (and dropped) before closing
 * @param rejectDrainTime            and for at most this long
 */
public record ReceiverLimits(int maxAssociations, int maxAssociationsPerAddress, int maxAssociateRequestBytes,
                             Duration associateRequestTimeout, Duration maxAssociationDuration, int maxCommandBytes,
                             long maxDataSetBytes, long minFreeDiskBytes, List<Path> diskFloorPaths,
                             int rejectDrainBytes, Duration rejectDrainTime) {

    public ReceiverLimits {
        requireAtLeast(maxAssociations, 1, "maxAssociations");
        requireAtLeast(maxAssociationsPerAddress, 1, "maxAssociationsPerAddress");
        if (maxAssociateRequestBytes < 1024 || maxAssociateRequestBytes > 1 << 20)
            throw new IllegalArgumentException("maxAssociateRequestBytes must be 1024..1048576: "
                    + maxAssociateRequestBytes);
        requirePositive(associateRequestTimeout, "associateRequestTimeout");
        requirePositive(maxAssociationDuration, "maxAssociationDuration");
        if (maxCommandBytes < 256 || maxCommandBytes > 1 << 20)
            throw new IllegalArgumentException("maxCommandBytes must be 256..1048576: " + maxCommandBytes);
        requireAtLeast(maxDataSetBytes, 1, "maxDataSetBytes");
        requireAtLeast(minFreeDiskBytes, 0, "minFreeDiskBytes");
        diskFloorPaths = List.copyOf(Objects.requireNonNull(diskFloorPaths, "diskFloorPaths"));
        requireAtLeast(rejectDrainBytes, 0, "rejectDrainBytes");
        requirePositive(rejectDrainTime, "rejectDrainTime");
    }

    /**
     * 64 associations, 16 per address, 64 KiB A-ASSOCIATE-RQ within 10 s, 1 h per association, 64 KiB command sets,
     * 2 GiB per data set, 1 GiB free disk, drain 8 KiB / 2 s after a reject.
     */
    public static ReceiverLimits defaults() {
        return new ReceiverLimits(64, 16, 64 * 1024, Duration.ofSeconds(10), Duration.ofHours(1), 64 * 1024,
                2L << 30, 1L << 30, List.of(), 8 * 1024, Duration.ofSeconds(2));
    }

    public ReceiverLimits withAssociations(int global, int perAddress) {
        return new ReceiverLimits(global, perAddress, maxAssociateRequestBytes, associateRequestTimeout,
                maxAssociationDuration, maxCommandBytes, maxDataSetBytes, minFreeDiskBytes, diskFloorPaths,
                rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withAssociateRequest(int maxBytes, Duration timeout) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxBytes, timeout,
                maxAssociationDuration, maxCommandBytes, maxDataSetBytes, minFreeDiskBytes, diskFloorPaths,
                rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withMaxAssociationDuration(Duration duration) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxAssociateRequestBytes,
                associateRequestTimeout, duration, maxCommandBytes, maxDataSetBytes, minFreeDiskBytes, diskFloorPaths,
                rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withMaxCommandBytes(int bytes) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxAssociateRequestBytes,
                associateRequestTimeout, maxAssociationDuration, bytes, maxDataSetBytes, minFreeDiskBytes,
                diskFloorPaths, rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withMaxDataSetBytes(long bytes) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxAssociateRequestBytes,
                associateRequestTimeout, maxAssociationDuration, maxCommandBytes, bytes, minFreeDiskBytes,
                diskFloorPaths, rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withDiskFloor(long minFreeBytes, List<Path> morePaths) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxAssociateRequestBytes,
                associateRequestTimeout, maxAssociationDuration, maxCommandBytes, maxDataSetBytes, minFreeBytes,
                morePaths, rejectDrainBytes, rejectDrainTime);
    }

    public ReceiverLimits withRejectDrain(int bytes, Duration time) {
        return new ReceiverLimits(maxAssociations, maxAssociationsPerAddress, maxAssociateRequestBytes,
                associateRequestTimeout, maxAssociationDuration, maxCommandBytes, maxDataSetBytes, minFreeDiskBytes,
                diskFloorPaths, bytes, time);
    }

    private static void requireAtLeast(long value, long min, String name) {
        if (value < min) throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }
}
