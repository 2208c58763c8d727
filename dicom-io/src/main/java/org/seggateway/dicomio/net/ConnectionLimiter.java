package org.seggateway.dicomio.net;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/** Counts a receiver's open connections, in all and per remote address, against their caps. */
final class ConnectionLimiter {

    /** Why a connection was not admitted. */
    enum Refusal { NONE, GLOBAL, PER_ADDRESS }

    private final int maxTotal;
    private final int maxPerAddress;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int total;

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Admits one connection from {@code address}, or says which cap it would exceed (and counts nothing). */
    synchronized Refusal tryAcquire(InetAddress address) {
        if (total >= maxTotal) return Refusal.GLOBAL;
        int fromThere = perAddress.getOrDefault(address, 0);
        if (fromThere >= maxPerAddress) return Refusal.PER_ADDRESS;
        total++;
        perAddress.put(address, fromThere + 1);
        return Refusal.NONE;
    }

    synchronized void release(InetAddress address) {
        total--;
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    synchronized int open() {
        return total;
    }
}
