package org.seggateway.dicomio.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * One IP address or CIDR block ({@code 10.1.2.0/24}, {@code 10.1.3.7}, {@code fd00::/8}), given as a literal: host
 * names are refused so that no DNS lookup decides who may connect. An IPv4 range does not match IPv6 peers, except
 * IPv4-mapped ones ({@code ::ffff:10.1.2.3}), which are compared as IPv4.
 */
public record AddressRange(byte[] network, int prefixLength) {

    public AddressRange {
        if (network.length != 4 && network.length != 16)
            throw new IllegalArgumentException("not an IP address: " + network.length + " bytes");
        if (prefixLength < 0 || prefixLength > network.length * 8)
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        network = masked(network.clone(), prefixLength);
    }

    /** Parses {@code address} or {@code address/prefix}; IllegalArgumentException with the text on anything else. */
    public static AddressRange parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address or CIDR block (host names are not allowed): '"
                    + text + "'");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > bytes.length * 8)
                throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
        }
        return new AddressRange(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length == 16 && network.length == 4 && isIpv4Mapped(candidate))
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        if (candidate.length != network.length) return false;
        return Arrays.equals(masked(candidate.clone(), prefixLength), network);
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xff00 >>> keep);
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
