package org.seggateway.dicomio.net;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The free space a receiver keeps on the folders it (and its storage handler) writes to. */
final class DiskFloor {

    private static final ReceiverLog LOG = ReceiverLog.LOG;

    private final long minFreeBytes;
    private final List<Path> folders;

    DiskFloor(long minFreeBytes, Path incoming, List<Path> more) {
        this.minFreeBytes = minFreeBytes;
        this.folders = new ArrayList<>();
        folders.add(incoming);
        folders.addAll(more);
    }

    /** Null while every folder has at least the floor free; else why not, short enough for an Error Comment. */
    String shortfall() {
        if (minFreeBytes == 0) return null;
        for (Path folder : folders) {
            // statvfs of the folder itself: Files.getFileStore would first look the mount up in /proc/self/mounts,
            // about a millisecond on every C-STORE
            long free = folder.toFile().getUsableSpace();
            if (free == 0 && !Files.isDirectory(folder)) {   // 0 is also what it says when it cannot tell
                LOG.freeSpaceUnknown(folder, new NoSuchFileException(folder.toString()));
                continue; // a folder not made yet is checked by whoever writes to it
            }
            if (free < minFreeBytes) {
                LOG.belowDiskFloor(folder, free, minFreeBytes);
                return "disk space low: " + mebibytes(free) + " MiB free, floor " + mebibytes(minFreeBytes) + " MiB";
            }
        }
        return null;
    }

    private static long mebibytes(long bytes) {
        return bytes >> 20;
    }
}
